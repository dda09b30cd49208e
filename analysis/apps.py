from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "analysis"
    verbose_name = _("Analytical work")

    def ready(self):
        from coursework.models import Deliverable  # once the apps are loaded
        from portfolio.contents import content_template_register  # once the apps are loaded

        content_template_register(Deliverable.MODEL_COMPARISON, "analysis/includes/analysis_card.html")
