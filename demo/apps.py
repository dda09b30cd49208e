from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo loader: it builds every app's data, so it sits above them all."""

    name = "demo"
    verbose_name = "Demo data"
