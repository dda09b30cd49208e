"""Forms of the gradebook: the grading formula, a lock and its unlocking, and the РК/exam scores of a roster."""

from dataclasses import dataclass, field
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


class SignOffForm(forms.Form):
    # The same limit as the stored note (SignOff.note); the page's input says it too.
    note = forms.CharField(label=_("Sign-off note"), max_length=300, required=False)


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


class ShownScoresField(forms.CharField):
    """A row's scores as the page showed them when it was opened (see ``shown_token``); empty: it showed none."""

    widget = forms.HiddenInput

    def clean(self, value):
        raw = super().clean(value).strip()
        if not raw:
            return dict.fromkeys(ControlKind.values)
        parts = raw.split(";")
        if len(parts) != len(ControlKind.values) or len(raw) > 100:
            raise self._tampered()
        return {kind: self._score(part) for kind, part in zip(ControlKind.values, parts, strict=True)}

    def _score(self, part):
        if not part:
            return None
        try:
            score = Decimal(part)
        except InvalidOperation:
            score = None
        if score is None or not score.is_finite() or not Decimal(0) <= score <= 100:
            raise self._tampered()
        return score

    @staticmethod
    def _tampered():
        return forms.ValidationError(
            _("This page was changed on its way to the server. Open it again and enter the scores again."),
            code="shown",
        )


def shown_token(row):
    """A row's scores ({kind: score or None}) as the page carries them: one figure or nothing per kind, in
    ControlKind's order, separated by semicolons ("70.5;;100")."""
    return ";".join(
        "" if row.get(kind) is None else format(Decimal(row[kind]).normalize(), "f") for kind in ControlKind.values
    )


@dataclass
class ScoresRow:
    """A student's row on the page: the cells (kind, value shown, error), the scores it was opened with, and the
    conflict when someone else changed the row after it was opened (with the values not saved, by kind)."""

    enrollment: object
    cells: list
    shown: str
    conflict: object = None
    not_saved: list = field(default_factory=list)


class ControlScoresForm(forms.Form):
    """РК1, РК2 and exam scores for every student of ``enrollments``: one field per student and kind, and per
    student the scores the page showed when it was opened, so that a save does not undo someone else's newer ones.
    """

    reason = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, enrollments, current, conflicts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrollments = enrollments
        self.current = current  # {(student id, kind): score}
        self.conflicts = conflicts or {}  # {student id: ControlRowConflict}
        for enrollment in enrollments:
            for kind in ControlKind.values:
                self.fields[self.field_name(enrollment.student_id, kind)] = ScoreField(required=False)
            self.fields[self.shown_name(enrollment.student_id)] = ShownScoresField(required=False)

    @staticmethod
    def field_name(student_id, kind):
        return f"{kind}-{student_id}"

    @staticmethod
    def shown_name(student_id):
        return f"shown-{student_id}"

    def scores(self):
        """{(student id, kind): score or None} as ``control_scores_save`` takes them."""
        return {
            (enrollment.student_id, kind): self.cleaned_data[self.field_name(enrollment.student_id, kind)]
            for enrollment in self.enrollments
            for kind in ControlKind.values
        }

    def shown(self):
        """{student id: {kind: score or None}}: each row as the page showed it, as ``control_scores_save`` takes it."""
        return {
            enrollment.student_id: self.cleaned_data[self.shown_name(enrollment.student_id)]
            for enrollment in self.enrollments
        }

    def has_cell_errors(self):
        """Whether a score cell is marked (the reason has its own message by its box, the hidden fields' are the
        page's own)."""
        return any(
            self.field_name(enrollment.student_id, kind) in self.errors
            for enrollment in self.enrollments
            for kind in ControlKind.values
        )

    def page_errors(self):
        """The errors of the hidden fields, once each: nobody can correct them in a cell."""
        errors = [
            error
            for enrollment in self.enrollments
            for error in self.errors.get(self.shown_name(enrollment.student_id), [])
        ]
        return list(dict.fromkeys(errors))

    def rows(self):
        """A ScoresRow per student. A bound form was not saved (invalid or refused): its rows show what was typed
        and keep the scores they were opened with. Otherwise they show the stored scores."""
        rows = []
        for enrollment in self.enrollments:
            student_id = enrollment.student_id
            stored = {kind: self.current.get((student_id, kind)) for kind in ControlKind.values}
            cells = []
            for kind in ControlKind.values:
                name = self.field_name(student_id, kind)
                errors = self.errors.get(name) if self.is_bound else None
                value = self.data.get(name) if self.is_bound else stored[kind]
                cells.append((kind, value, errors[0] if errors else None))
            shown = self.data.get(self.shown_name(student_id), "") if self.is_bound else shown_token(stored)
            row = ScoresRow(enrollment, cells, shown, self.conflicts.get(student_id))
            if row.conflict:
                row.not_saved = [
                    (kind, value)
                    for kind, value in row.conflict.yours.items()
                    if value != row.conflict.theirs.get(kind)
                ]
            rows.append(row)
        return rows
