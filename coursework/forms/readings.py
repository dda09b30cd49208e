"""The instructor's reading-list editor: the course document's provenance, and its entries as a formset."""

from django import forms
from django.core.validators import URLValidator
from django.db.models import Case, Max, When
from django.forms import modelformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from config.forms import capped_formfield
from coursework.forms.courses import DateInput
from coursework.models import Course, Reference
from coursework.selectors.courses import GROUP_ORDER
from coursework.services.courses import PROVENANCE_FIELDS

PREFIX = "references"
# Blank rows for new entries, so that entries can be added without JavaScript.
EXTRA_ROWS = 3


class ProvenanceForm(forms.ModelForm):
    """Who compiled the course document, and the protocols of the department and faculty council that passed it."""

    class Meta:
        model = Course
        fields = list(PROVENANCE_FIELDS)
        widgets = {"department_protocol_date": DateInput(), "faculty_protocol_date": DateInput()}


class ReferenceForm(forms.ModelForm):
    url = forms.CharField(
        label=capfirst(_("address")),
        max_length=500,
        required=False,
        validators=[
            URLValidator(
                schemes=["http", "https"],
                message=_("Write a whole web address that starts with http:// or https://."),
            )
        ],
        widget=forms.URLInput(attrs={"placeholder": "https://", "class": "form-control form-control-sm"}),
    )

    class Meta:
        model = Reference
        fields = ["group", "position", "text", "url"]
        formfield_callback = capped_formfield
        labels = {"position": capfirst(_("order"))}
        widgets = {
            "group": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "position": forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": "0"}),
            "text": forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text") and not cleaned.get("url") and "url" not in self.errors:
            raise forms.ValidationError(
                {"text": _("Write the entry as the document gives it, or its web address, or tick “Remove”.")}
            )
        return cleaned


# A course document lists some tens of sources; a count claimed beyond this builds no forms (Django's own bound is
# 2,000 forms, each a query for its row).
MAX_REFERENCES = 300
ReferenceFormSet = modelformset_factory(
    Reference,
    form=ReferenceForm,
    extra=EXTRA_ROWS,
    can_delete=True,
    max_num=MAX_REFERENCES,
    absolute_max=MAX_REFERENCES,
    validate_max=True,
)


def reference_formset(course, data=None):
    """The course's entries in the document's order (by group, then order), then blank rows placed after the last."""
    by_group = Case(*(When(group=group, then=index) for group, index in GROUP_ORDER.items()))
    entries = course.references.order_by(by_group, "position", "pk")
    last = entries.aggregate(last=Max("position"))["last"] or 0
    return ReferenceFormSet(
        data,
        queryset=entries,
        prefix=PREFIX,
        initial=[{"position": last + number} for number in range(1, EXTRA_ROWS + 1)],
    )
