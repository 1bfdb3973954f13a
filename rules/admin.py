from . import admin_calendar  # noqa: F401  (registers the working-day calendar)
