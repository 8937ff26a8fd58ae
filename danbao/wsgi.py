"""WSGI entry point (gunicorn danbao.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danbao.settings")
application = get_wsgi_application()
