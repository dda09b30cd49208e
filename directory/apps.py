from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = _("Directory of social services")

    def ready(self):
        from directory import receivers  # noqa: F401 — registers the signal receivers once the apps are loaded
