from django.apps import AppConfig


class GradingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "grading"

    def ready(self):
        from grading import receivers  # noqa: F401 — registers the signal receivers once the apps are loaded
