"""Documents the portal makes of an application and stores with it (the 评审表 PDF)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import clock

from .application import Application
from .storage import private_storage


class ReviewForm(models.Model):
    """The 评审表 PDF of an application, rendered once by a worker (certificates.tasks) when it passes the
    qualification check and served as stored; `submitted_at` names the submission it was made from."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review_form")
    pdf = models.FileField(storage=private_storage, upload_to="review_forms/%Y/", max_length=200)
    submitted_at = models.DateTimeField()
    rendered_at = models.DateTimeField(default=clock.stamp)

    class Meta:
        verbose_name = _("评审表")
        verbose_name_plural = _("评审表")

    def __str__(self) -> str:
        return f"评审表 {self.application_id}"

    def is_current_for(self, application: Application) -> bool:
        return self.submitted_at == application.submitted_at
