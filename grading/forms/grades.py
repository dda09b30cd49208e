from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import TEXT_LIMIT
from grading import scoring
from grading.templatetags.grading_numbers import figure

POINTS = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal(0), "max_value": Decimal(100)}
# The codes of grade_save's refusals that are about one field of the form.
SERVICE_ERROR_FIELDS = {
    "points": "points",
    "percent": "percent",
    "originality": "originality_percent",
    "confirm_zero": "zero_confirmed",
    "reason_required": "reason",
}
# A criterion's comment is a few sentences beside its level; the overall feedback may run to pages.
COMMENT_LIMIT = 2000


class GradeForm(forms.Form):
    """The grading form: a level, points and a comment per criterion, or points alone without a rubric.

    It checks types and ranges only; the rubric's rules (points inside the level, edges, the
    originality zero) are the service's.
    """

    feedback = forms.CharField(
        label=_("Overall feedback"), required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 5})
    )
    originality_percent = forms.DecimalField(
        label=_("Originality, %"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    originality_checker = forms.CharField(label=_("Checked with"), required=False, max_length=100)
    zero_confirmed = forms.BooleanField(required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(label=_("Reason for changing locked results"), required=False, max_length=1000)
    band_kept_reason = forms.CharField(
        label=_("Keep the band the percentage earns — why"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, criteria=(), max_points=None, zero_below=scoring.ZERO_BELOW_WITHOUT_BANDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.zero_below = zero_below
        self.fields["zero_confirmed"].label = _(
            "I confirm: originality below %(limit)s%% means 0 points under the course's scale."
        ) % {"limit": figure(zero_below)}
        self.criteria = list(criteria)
        for criterion in self.criteria:
            prefix = f"c{criterion.pk}"
            self.fields[f"{prefix}-level"] = forms.TypedChoiceField(
                label=criterion.display_title,
                choices=[(level.pk, level.display_title) for level in criterion.levels.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level.")},
            )
            self.fields[f"{prefix}-points"] = forms.DecimalField(label=_("Points, %"), **POINTS)
            self.fields[f"{prefix}-comment"] = forms.CharField(
                label=_("Comment"), required=False, max_length=COMMENT_LIMIT, widget=forms.Textarea(attrs={"rows": 2})
            )
        if not self.criteria and max_points is None:
            # The course document gives the task no points: it is graded as a percentage.
            self.fields["percent"] = forms.DecimalField(label=_("Percentage, %"), **POINTS)
        elif not self.criteria:
            self.fields["points"] = forms.DecimalField(
                label=_("Points"), min_value=0, max_value=max_points, max_digits=6, decimal_places=1
            )

    def criterion_rows(self):
        """(criterion, level field, points field, comment field) for the template."""
        return [
            (
                criterion,
                self[f"c{criterion.pk}-level"],
                self[f"c{criterion.pk}-points"],
                self[f"c{criterion.pk}-comment"],
            )
            for criterion in self.criteria
        ]

    def scores(self):
        levels = {level.pk: level for criterion in self.criteria for level in criterion.levels.all()}
        return [
            {
                "criterion": criterion,
                "level": levels.get(self.cleaned_data[f"c{criterion.pk}-level"]),
                "points": self.cleaned_data[f"c{criterion.pk}-points"],
                "comment": self.cleaned_data[f"c{criterion.pk}-comment"],
            }
            for criterion in self.criteria
        ]

    def grade_values(self):
        """The cleaned values as ``grade_save`` takes them, with the rubric's criteria the form was built with: the
        save need not read them again."""
        data = self.cleaned_data
        return {
            "expected_lock_version": data["lock_version"],
            "criteria": self.criteria or None,
            "scores": self.scores() if self.criteria else (),
            "points": data.get("points"),
            "percent": data.get("percent"),
            "feedback": data["feedback"],
            "originality_percent": data["originality_percent"],
            "originality_checker": data["originality_checker"],
            "zero_confirmed": data["zero_confirmed"],
            "band_kept_reason": data["band_kept_reason"],
            "reason": data["reason"],
        }

    def add_service_error(self, error):
        """Put each of ``grade_save``'s refusals beside the field it is about; the rest go above the form."""
        for item in error.error_list:
            self.add_error(self._field_for(item), item)

    def _field_for(self, error):
        criterion_id = (error.params or {}).get("criterion_id")
        if criterion_id is not None:
            part = "level" if error.code in {"level_missing", "level_foreign"} else "points"
            name = f"c{criterion_id}-{part}"
        else:
            name = SERVICE_ERROR_FIELDS.get(error.code)
        return name if name in self.fields else None


class ReleaseForm(forms.Form):
    """Releasing one grade: while the course's results are locked, the reason (the service asks for it then)."""

    reason = forms.CharField(required=False, max_length=1000)


class ReleaseAllForm(forms.Form):
    """The confirmation of releasing a task's grades: the number the grader was shown, and while the course's
    results are locked, the reason (recorded once for each grade)."""

    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    reason = forms.CharField(
        label=_("Reason for releasing while the results are locked"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("The results of this course are locked. State the reason for this change.")},
    )

    def __init__(self, *args, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = locked
