"""The band rules of a department's holistic scale: one small form per band."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grading.models import Timeliness

PERCENT = {"min_value": 0, "max_value": 100, "max_digits": 5, "decimal_places": 2}


class BandRuleForm(forms.Form):
    min_percent = forms.DecimalField(label=_("from %"), **PERCENT)
    max_percent = forms.DecimalField(label=_("to %"), **PERCENT)
    originality_min = forms.DecimalField(label=_("originality at least %"), required=False, **PERCENT)
    timeliness = forms.ChoiceField(label=_("timeliness"), choices=Timeliness.choices, required=False)

    def __init__(self, *args, band, **kwargs):
        self.band = band
        kwargs.setdefault("prefix", f"band-{band.position}")
        kwargs.setdefault(
            "initial",
            {name: getattr(band, name) for name in ("min_percent", "max_percent", "originality_min", "timeliness")},
        )
        super().__init__(*args, **kwargs)
