import os

from django.core.wsgi import get_wsgi_application

# Production unless told otherwise: `manage.py serve` (the embedded demo) and the tests name their own.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
application = get_wsgi_application()
