"""The WSGI entry point. It refuses to start without a SECRET_KEY (unless debugging)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.settings import require_secret_key

require_secret_key()
application = get_wsgi_application()
