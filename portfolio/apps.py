import contextlib
import os

from django.apps import AppConfig
from django.conf import settings


class PortfolioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portfolio"

    def ready(self):
        from portfolio import tasks  # noqa: F401 — registers its preview receiver once the apps are loaded

        # Uploads stream into the portal's own temporary folder (settings.FILE_UPLOAD_TEMP_DIR); Django's checks want
        # it to exist before the first request, and a fresh deployment has not made it. One that cannot be made is
        # left to that check to report.
        if settings.FILE_UPLOAD_TEMP_DIR:
            with contextlib.suppress(OSError):
                os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
