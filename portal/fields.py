"""Model fields that read the portal's clock."""

from __future__ import annotations

from django.db import models

from . import clock


class ClockDateTimeField(models.DateTimeField):
    """A DateTimeField whose auto_now / auto_now_add stamp comes from portal.clock, so a moved clock
    (tests, the demo's offset) moves these stamps too."""

    def pre_save(self, model_instance, add):
        if self.auto_now or (self.auto_now_add and add):
            value = clock.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
