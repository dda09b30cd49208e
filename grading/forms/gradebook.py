"""Forms of the gradebook: the grading formula, a lock and its unlocking, and the РК/exam scores of a roster."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import MomentField
from grading.models import ControlKind, CourseAssessment


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = CourseAssessment
        fields = [
            "uses_credit_formula",
            "first_half_last_week",
            "current_weight",
            "admission_threshold",
            "admission_weight",
            "exam_weight",
        ]
        widgets = {"uses_credit_formula": forms.CheckboxInput(attrs={"class": "form-check-input"})}
        # The model's labels name ТК, РК and РД as the course document writes them; these name them as each reader
        # knows them (CA, MT and AR in English).
        labels = {
            "uses_credit_formula": _(
                "Use the credit formula (current assessment, midterm control, admission rating, exam)"
            ),
            "first_half_last_week": _("Last week of the first rating period"),
            "current_weight": _("Share of current assessment in each rating (w)"),
            "admission_threshold": _("Admission to the exam from the admission rating, %"),
            "admission_weight": _("Weight of the admission rating in the final grade"),
            "exam_weight": _("Weight of the exam in the final grade"),
        }


class LockForm(forms.Form):
    starts_at = MomentField(label=_("Locked from"))
    ends_at = MomentField(label=_("Locked until"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class UnlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason for unlocking"), max_length=500)


class ScoreField(forms.CharField):
    """A score from 0 to 100, written with a decimal comma or point; empty means no score."""

    def clean(self, value):
        raw = super().clean(value).strip().replace(",", ".")
        if not raw:
            return None
        try:
            score = Decimal(raw)
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or not Decimal(0) <= score <= 100:
            raise forms.ValidationError(_("Enter a number from 0 to 100."), code="score")
        return score


class ControlScoresForm(forms.Form):
    """РК1, РК2 and exam scores for every student of ``enrollments``: one field per student and kind."""

    reason = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, enrollments, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollments = enrollments
        self.current = current  # {(student id, kind): score}
        for enrollment in enrollments:
            for kind in ControlKind.values:
                self.fields[self.field_name(enrollment.student_id, kind)] = ScoreField(required=False)

    @staticmethod
    def field_name(student_id, kind):
        return f"{kind}-{student_id}"

    def scores(self):
        """{(student id, kind): score or None} as ``control_scores_save`` takes them."""
        return {
            (enrollment.student_id, kind): self.cleaned_data[self.field_name(enrollment.student_id, kind)]
            for enrollment in self.enrollments
            for kind in ControlKind.values
        }

    def rows(self):
        """(enrollment, [(kind, value shown, error)]) per student: what was typed while errors stand, else the
        stored score."""
        show_typed = self.is_bound and bool(self.errors)
        rows = []
        for enrollment in self.enrollments:
            cells = []
            for kind in ControlKind.values:
                name = self.field_name(enrollment.student_id, kind)
                errors = self.errors.get(name) if self.is_bound else None
                value = self.data.get(name) if show_typed else self.current.get((enrollment.student_id, kind))
                cells.append((kind, value, errors[0] if errors else None))
            rows.append((enrollment, cells))
        return rows
