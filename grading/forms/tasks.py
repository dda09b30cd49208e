"""The task editor's form: a row of the course's task table, as the instructor writes it."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.forms import MomentField, capped_formfield
from coursework.models import Task
from coursework.services.tasks import EDITABLE_FIELDS
from grading.models import Rubric
from grading.selectors.rollup import LABELS
from grading.templatetags.grading_numbers import figure

# A term of the credit system has 15 teaching weeks; a few more leave room for a late exam session, and a week
# beyond this is a typing mistake.
LAST_WEEK = 20
MAX_TASK_POINTS = Decimal(100)


class PointsField(forms.CharField):
    """Points written with a decimal comma or point, above 0 and at most 100, to 0.1; empty means none."""

    def clean(self, value):
        raw = (super().clean(value) or "").strip().replace(",", ".")
        if not raw:
            return None
        try:
            points = Decimal(raw)
        except InvalidOperation:
            points = None
        if points is None or not points.is_finite():
            raise forms.ValidationError(_("Enter a number, such as 18 or 12,5."), code="invalid")
        if not Decimal(0) < points <= MAX_TASK_POINTS:
            raise forms.ValidationError(
                _("Enter more than 0 and at most 100 points, or leave it empty to grade as a percentage."),
                code="range",
            )
        if points != points.quantize(Decimal("0.1")):
            raise forms.ValidationError(_("Points take at most one decimal place, such as 12,5."), code="decimals")
        return points


def confirmation_maximum(max_points):
    """A maximum as the confirmation writes it: "18", "12.5", or "" for none."""
    return "" if max_points is None else format(max_points.normalize(), "f")


def confirmation_value(change):
    """What the confirmation panel's button sends for a ``grading.selectors.tasks.PointsChange``."""
    return f"{change.grades}:{confirmation_maximum(change.new_max)}"


class TaskForm(forms.ModelForm):
    """The fields of ``coursework.services.tasks.EDITABLE_FIELDS``, and the confirmation of a change of a graded
    task's maximum points."""

    due_at_override = MomentField(
        label=_("Fixed due moment"),
        required=False,
        help_text=_("Leave empty for the end of the due week: Sunday, 23:59, Almaty time."),
    )
    cutoff_at = MomentField(
        label=_("Submissions close"),
        required=False,
        help_text=_("Leave empty to accept late work at any time."),
    )
    max_points = PointsField(
        label=_("Maximum points"),
        required=False,
        max_length=10,
        help_text=_("Leave empty to grade the task as a percentage, outside the points total."),
    )
    rating_period = forms.TypedChoiceField(
        label=_("Counts in"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "Empty: the due week decides. Up to the last week of the first rating period the task counts in the "
            "first period, after it in the second."
        ),
    )
    # "<number of grades>:<new maximum>", sent by the confirmation panel's button (see ``confirmed_grades``).
    confirmation = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    class Meta:
        model = Task
        fields = list(EDITABLE_FIELDS)
        formfield_callback = capped_formfield
        labels = {
            "label": _("Label, as the course document writes it"),
            "kind": _("Kind"),
            "deliverable": _("What students hand in"),
            "title": _("Title (Kazakh)"),
            "title_ru": _("Title (Russian)"),
            "title_en": _("Title (English)"),
            "description": _("Description (Kazakh)"),
            "description_ru": _("Description (Russian)"),
            "description_en": _("Description (English)"),
            "portfolio": _("Portfolio requirements (Kazakh)"),
            "portfolio_ru": _("Portfolio requirements (Russian)"),
            "portfolio_en": _("Portfolio requirements (English)"),
            "due_week": _("Due week"),
            "rubric": _("Rubric"),
        }
        help_texts = {
            "label": _("For example СӨЖ 1 or СОӨЖ 2-3."),
            "rubric": _("Empty: points are entered directly when grading."),
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("description", "description_ru", "description_en", "portfolio", "portfolio_ru", "portfolio_en")
        }

    def __init__(self, *args, course, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.course = course
        self.fields["rating_period"].choices = [
            ("", _("By the due week")),
            (1, LABELS["tk1"]),
            (2, LABELS["tk2"]),
        ]
        # The course's department's rubrics and the shared ones, whichever department the instructor belongs to.
        self.fields["rubric"].queryset = Rubric.objects.filter(
            Q(department__isnull=True) | Q(department_id=course.department_id)
        )
        self.fields["rubric"].label_from_instance = lambda rubric: rubric.display_title
        self.fields["rubric"].empty_label = _("No rubric")
        self.fields["due_week"].widget.attrs.update(min=1, max=LAST_WEEK)
        self.fields["due_week"].help_text = _("1 to %(last)d.") % {"last": LAST_WEEK}
        self.fields["max_points"].widget.attrs["inputmode"] = "decimal"
        # Labels and help from the model; a length of no pages asks for nothing, so the least is one page.
        for name in ("pages_min", "pages_max"):
            self.fields[name].validators.append(MinValueValidator(1))
            self.fields[name].widget.attrs.update(min=1)
        if self.instance.max_points is not None and not self.is_bound:
            self.initial["max_points"] = figure(self.instance.max_points)

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        taken = Task.objects.filter(course=self.instance.course, label=label).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("This course already has a task labelled “%(label)s”.") % {"label": label}, code="unique"
            )
        return label

    def clean_due_week(self):
        week = self.cleaned_data["due_week"]
        if week is not None and week > LAST_WEEK:
            raise forms.ValidationError(
                _("Week %(week)d is beyond the term: choose a week from 1 to %(last)d.")
                % {"week": week, "last": LAST_WEEK},
                code="beyond_term",
            )
        return week

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_week") is None and cleaned.get("due_at_override") is None:
            # The due moment is not known until the week is right; the cut-off is checked against it then.
            cleaned.pop("cutoff_at", None)
        return cleaned

    def confirmed_grades(self):
        """The number of grades the instructor agreed to rescale, when they agreed to it for the maximum now in the
        form (a confirmation given for another maximum confirms nothing); else None."""
        grades, _colon, maximum = (self.cleaned_data.get("confirmation") or "").partition(":")
        if not grades.isdigit() or maximum != confirmation_maximum(self.cleaned_data.get("max_points")):
            return None
        return int(grades)

    def changes(self):
        """The task's new terms, as ``task_create`` and ``task_edit`` take them."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}
