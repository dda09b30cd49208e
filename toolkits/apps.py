from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "toolkits"
    verbose_name = _("Assessment toolkits")

    def ready(self):
        from coursework.models import Deliverable  # once the apps are loaded
        from portfolio.contents import content_template_register  # once the apps are loaded

        content_template_register(Deliverable.ASSESSMENT_TOOLKIT, "toolkits/includes/toolkit_card.html")
