"""The letter scale editor's rows: one form per letter, in a formset with prefix ``letters``.

The forms check that each field can be read; grading.scale_services.validate_scale checks the scale
as a whole (and names the rows), and letter_scale_save writes it.
"""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from grading.models import Traditional

PREFIX = "letters"
# Blank rows, so that rows can be added without JavaScript.
EXTRA_ROWS = 3


def _plain(value):
    """95, not 95.00, in the inputs."""
    if value is None:
        return None
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def _number_input(step, maximum):
    attrs = {"step": step, "min": "0", "max": maximum, "inputmode": "decimal", "class": "form-control form-control-sm"}
    return forms.NumberInput(attrs=attrs)


class LetterRowForm(forms.Form):
    letter = forms.CharField(
        label=_("letter"),
        max_length=3,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "autocomplete": "off"}),
    )
    min_percent = forms.DecimalField(
        label=_("from %"), max_digits=5, decimal_places=2, widget=_number_input("1", "100")
    )
    max_percent = forms.DecimalField(label=_("to %"), max_digits=5, decimal_places=2, widget=_number_input("1", "100"))
    gpa = forms.DecimalField(label=_("GPA points"), max_digits=3, decimal_places=2, widget=_number_input("0.01", "4"))
    traditional = forms.ChoiceField(
        label=_("traditional grade"),
        choices=[("", "—"), *Traditional.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, **kwargs):
        # A row left blank is not part of the scale, whether it came filled in or was one of the blank ones.
        kwargs["empty_permitted"] = True
        super().__init__(*args, **kwargs)
        for name in ("min_percent", "max_percent", "gpa"):
            if name in self.initial:
                self.initial[name] = _plain(self.initial[name])


# The national scale has eleven letters; a count claimed beyond this builds no forms (Django's own bound is 2,000).
MAX_ROWS = 30
LetterScaleFormSet = formset_factory(
    LetterRowForm, extra=EXTRA_ROWS, can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS, validate_max=True
)


def scale_formset(data=None, *, rows=()):
    return LetterScaleFormSet(data, initial=None if data is not None else list(rows), prefix=PREFIX)


def cleaned_rows(formset):
    """The rows of a valid formset that make up the scale: filled in and not marked for removal."""
    return [
        {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
