from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import FileField
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE

REPORT_EXTENSIONS = EXTENSIONS_BY_DELIVERABLE["model_comparison"]


class ReportForm(forms.Form):
    """The analytical report: one file; what it must be (type, size, content) is the upload service's check."""

    report = FileField(
        label=_("The report's file"),
        error_messages={
            "required": _(
                "Choose the file of your report. If you chose one, its name could not be read: rename the file and "
                "try again."
            )
        },
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{extension}" for extension in REPORT_EXTENSIONS)}),
    )
