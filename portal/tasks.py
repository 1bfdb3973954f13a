from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_task(address: str, message: str, link: str = "") -> None:
    body = message
    if link:
        body += "\n\n" + settings.PORTAL_BASE_URL.rstrip("/") + link
    send_mail(
        subject=f"【职称申报评审服务平台】{message[:40]}",
        message=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[address],
    )
