"""The ASGI entry point. It refuses to start without a SECRET_KEY (unless debugging)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.settings import require_secret_key

require_secret_key()
application = get_asgi_application()
