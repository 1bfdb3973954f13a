from __future__ import annotations

import os
from pathlib import Path

from celery import Celery
from celery.signals import beat_init

from . import observability  # noqa: F401  (connects the request id's passage through the messages)

# Production unless told otherwise: `manage.py serve` (the embedded demo) and the tests name their own.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _embedded_broker_folders(sender, **kwargs) -> None:
    """The filesystem broker (no REDIS_URL) and its result folder must exist before the first message."""
    conf = sender.conf
    folders = [
        value
        for key, value in (conf.broker_transport_options or {}).items()
        if key.endswith("_folder") or key.startswith("data_folder")
    ]
    backend = conf.result_backend or ""
    if isinstance(backend, str) and backend.startswith("file://"):
        folders.append(backend.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)


@beat_init.connect
def _record_beat_start(sender=None, **kwargs) -> None:
    # Lets /health/ tell "beat started, first sweeps not due yet" from "no beat at all". Imported here:
    # this module loads before Django's app registry, and portal.sweeps needs the models.
    from portal.sweeps import beat_start_record

    beat_start_record()
