from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseplansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "caseplans"
    verbose_name = _("Case plans")

    def ready(self):
        from caseplans import receivers  # noqa: F401 — registers the signal receivers once the apps are loaded
        from coursework.models import Deliverable  # once the apps are loaded
        from portfolio.contents import content_template_register  # once the apps are loaded

        content_template_register(Deliverable.CASE_PLAN, "caseplans/includes/plan_card.html")
