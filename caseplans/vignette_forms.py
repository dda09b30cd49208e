"""Forms of the instructor's case pages: writing a vignette (with its de-identification check) and giving one
student a case by hand."""

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from caseplans.identifiers import personal_data
from caseplans.models import Vignette
from config.forms import capped_formfield


def findings_digest(findings):
    """A fingerprint of what the check found, so a confirmation covers exactly what the warning showed."""
    return hashlib.sha256("\n".join(finding.text for finding in findings).encode()).hexdigest()[:16]


class VignetteForm(forms.ModelForm):
    """A case vignette. What looks like personal data (an ИИН/ЖСН, a phone number, an e-mail, an address) stops the
    save until the instructor confirms that it is not real: the confirmation holds for what was shown, not for
    whatever is typed afterwards."""

    confirmed = forms.BooleanField(label=_("I have checked: this is not real personal data."), required=False)
    confirmed_for = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    class Meta:
        model = Vignette
        fields = ["title", "language", "client_category", "text"]
        formfield_callback = capped_formfield
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "title": _("A first name and the situation, for example “Айгүл: тұрмыстық зорлық-зомбылық”."),
            "text": _(
                "The client's situation as students will read it: needs, strengths and risks. Write it "
                "de-identified: no real names, ИИН/ЖСН, phone numbers, e-mails or addresses."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = []

    def clean(self):
        data = super().clean()
        self.findings = personal_data(f"{data.get('title', '')}\n{data.get('text', '')}")
        if self.findings and not (data.get("confirmed") and data.get("confirmed_for") == self.digest):
            raise forms.ValidationError(
                _(
                    "The case was not saved: it holds what looks like personal data. Check the list below; "
                    "take it out, or confirm that it is not real."
                ),
                code="personal_data",
            )
        return data

    @property
    def digest(self):
        """What the page sends back with a confirmation: the fingerprint of the findings it showed."""
        return findings_digest(self.findings)

    def save_values(self):
        """The values ``vignette_save`` takes."""
        return {name: self.cleaned_data[name] for name in ("title", "language", "client_category", "text")}


class CaseAssignForm(forms.Form):
    """One student of the course, and the course's vignette they are to plan on."""

    student = forms.ModelChoiceField(label=_("Student"), queryset=User.objects.none())
    vignette = forms.ModelChoiceField(label=_("Case"), queryset=Vignette.objects.none())

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = User.objects.filter(enrollments__course=course)
        self.fields["vignette"].queryset = course.vignettes.all()
        self.fields["student"].error_messages["invalid_choice"] = _("This student is not enrolled in the course.")
        self.fields["vignette"].error_messages["invalid_choice"] = _("Choose one of the course's cases.")
