from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import FileField
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE

PRESENTATION_EXTENSIONS = EXTENSIONS_BY_DELIVERABLE["assessment_toolkit"]


class PresentationForm(forms.Form):
    """The presentation of the defence: one file; what it must be (type, size, content) is the upload service's
    check."""

    presentation = FileField(
        label=_("The presentation's file"),
        error_messages={
            "required": _(
                "Choose the file of your presentation. If you chose one, its name could not be read: rename the "
                "file and try again."
            )
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{extension}" for extension in PRESENTATION_EXTENSIONS)}
        ),
    )
