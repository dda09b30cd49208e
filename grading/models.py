from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.i18n import Translated, localized

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


def _percent_field(label, **kwargs):
    return models.DecimalField(label, max_digits=5, decimal_places=2, validators=PERCENT, **kwargs)


class HolisticScale(models.Model):
    """The course document's holistic table: bands of percentages with what the work shows, and the originality
    and timeliness each band asks. Shared (no department) as the seed gives it; a department's copy is its own."""

    title = Translated(models.CharField, max_length=255)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holistic_scales",
    )

    class Meta:
        verbose_name = _("holistic scale")
        verbose_name_plural = _("holistic scales")

    def __str__(self):
        return localized(self, "title")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("Done on time")
    LATE = "late", _("Done late")
    ANY = "", _("Not stated")


class HolisticBand(models.Model):
    scale = models.ForeignKey(HolisticScale, on_delete=models.CASCADE, related_name="bands")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label = models.CharField(_("label as written"), max_length=100)
    title = Translated(models.CharField, max_length=100)
    descriptor = Translated(models.TextField)
    min_percent = _percent_field(_("from %"))
    max_percent = _percent_field(_("to %"))
    originality_min = _percent_field(_("originality at least %"), null=True, blank=True)
    timeliness = models.CharField(_("timeliness"), max_length=10, choices=Timeliness.choices, blank=True)

    class Meta:
        ordering = ["scale", "position"]
        verbose_name = _("holistic band")
        verbose_name_plural = _("holistic bands")
        constraints = [
            models.CheckConstraint(condition=Q(min_percent__lte=F("max_percent")), name="band_min_not_above_max"),
        ]

    def __str__(self):
        return self.label


class RubricQuerySet(models.QuerySet):
    def usable_by(self, user):
        """Rubrics a person may attach or copy: shared ones and their department's."""
        if user.is_superuser:
            return self.all()
        return self.filter(Q(department__isnull=True) | Q(department_id=user.department_id))


class Rubric(models.Model):
    """Ordered criteria, each with ordered levels whose points are a range of percentages."""

    title = Translated(models.CharField, max_length=255)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rubrics",
        help_text=_("Empty: shared by every department."),
    )
    holistic_scale = models.ForeignKey(
        HolisticScale, verbose_name=_("holistic scale"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # Where the rubric's work stands in the course's assessment, as the course document heads it ("25% of АБ 100%").
    weight_note = Translated(models.CharField, max_length=255, blank=True)
    is_example = models.BooleanField(
        _("example"),
        default=False,
        help_text=_("An example shipped with the portal, not a rubric of the course document."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RubricQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return self.display_title


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = Translated(models.CharField, max_length=255)

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.display_title


class Level(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = Translated(models.CharField, max_length=100)
    descriptor = Translated(models.TextField, blank=True)
    min_percent = _percent_field(_("from %"))
    max_percent = _percent_field(_("to %"))

    class Meta:
        ordering = ["criterion", "position", "pk"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.CheckConstraint(condition=Q(min_percent__lte=F("max_percent")), name="level_min_not_above_max"),
        ]

    def __str__(self):
        return f"{self.display_title} ({self.min_percent:g}–{self.max_percent:g}%)"


class Traditional(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SATISFACTORY = "satisfactory", _("Satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")


class LetterGrade(models.Model):
    """A row of the national letter scale; a department may keep its own variant."""

    department = models.ForeignKey(
        "accounts.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="letter_grades"
    )
    letter = models.CharField(_("letter"), max_length=3)
    min_percent = _percent_field(_("from %"))
    max_percent = _percent_field(_("to %"))
    gpa = models.DecimalField(_("GPA points"), max_digits=3, decimal_places=2)
    traditional = models.CharField(_("traditional grade"), max_length=20, choices=Traditional.choices)

    class Meta:
        ordering = ["department", "-min_percent"]
        verbose_name = _("letter grade")
        verbose_name_plural = _("letter grades")
        constraints = [
            models.UniqueConstraint(fields=["department", "letter"], name="letter_unique_per_department"),
        ]

    def __str__(self):
        return self.letter


class Grade(models.Model):
    """The grade of one submitted version. A draft until released; released is what the student sees."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RELEASED = "released", _("Released")

    version = models.OneToOneField("portfolio.Version", on_delete=models.CASCADE, related_name="grade")
    submission = models.ForeignKey("portfolio.Submission", on_delete=models.CASCADE, related_name="grades")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, null=True, blank=True, related_name="grades")
    rubric_sum = models.DecimalField(_("rubric sum"), max_digits=6, decimal_places=2, null=True, blank=True)
    rubric_maximum = models.DecimalField(_("rubric maximum"), max_digits=6, decimal_places=2, null=True, blank=True)
    percent = _percent_field(_("percentage"), null=True, blank=True)
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=1, null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    originality_percent = _percent_field(_("originality %"), null=True, blank=True)
    originality_checker = models.CharField(_("originality checker"), max_length=100, blank=True)
    originality_zero_confirmed = models.BooleanField(_("zero for low originality confirmed"), default=False)
    lock_version = models.PositiveIntegerField(default=0)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("graded by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    # What the student sees: the working values above as they stood at the last release. Saving a released
    # grade changes only the working values; the student keeps seeing these until the grader releases again.
    released_points = models.DecimalField(_("released points"), max_digits=6, decimal_places=1, null=True, blank=True)
    released_percent = _percent_field(_("released percentage"), null=True, blank=True)
    released_values = models.JSONField(_("released values"), null=True, blank=True)
    has_unreleased_changes = models.BooleanField(_("changed since its release"), default=False)
    # The grader kept the band the percentage earns over the lower one the originality or the lateness offers.
    band_kept_reason = models.TextField(_("reason for keeping the higher band"), blank=True)

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        constraints = [
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__gte=0), name="grade_points_non_negative"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(released_at__isnull=False), name="grade_released_has_moment"
            ),
            models.CheckConstraint(
                condition=Q(released_points__isnull=True) | Q(released_points__gte=0),
                name="grade_released_points_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(state="released") | Q(has_unreleased_changes=False),
                name="grade_draft_has_nothing_released",
            ),
        ]

    def __str__(self):
        return f"{self.version}: {self.points}"

    @property
    def is_released(self):
        return self.state == self.State.RELEASED


class CriterionScore(models.Model):
    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("points, %"), max_digits=5, decimal_places=2, validators=PERCENT)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["grade", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["grade", "criterion"], name="score_unique_criterion"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class GradeChange(models.Model):
    """Every save and release of a grade: who, when, and the values before and after."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Saved")
        RELEASED = "released", _("Released")

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"))

    class Meta:
        ordering = ["grade", "-changed_at", "-pk"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")

    def __str__(self):
        return f"{self.grade} {self.action} {self.changed_at:%Y-%m-%d %H:%M}"


class CourseAssessment(models.Model):
    """How a course turns task points into its final grade.

    With the credit formula (the default at Kazakh universities): the tasks due up to
    ``first_half_last_week`` form current control ТК1, the rest ТК2; ratings Р1 and Р2 mix each
    ТК with its midterm control РК1, РК2; the admission rating РД = (Р1 + Р2) ÷ 2 admits to the
    exam at ``admission_threshold``; the final grade = admission_weight × РД + exam_weight × exam.
    Without it, the plain percentage of points decides the letter.
    """

    course = models.OneToOneField("coursework.Course", on_delete=models.CASCADE, related_name="assessment")
    uses_credit_formula = models.BooleanField(_("use the credit formula (ТК, РК, РД, exam)"), default=True)
    first_half_last_week = models.PositiveSmallIntegerField(
        _("last week of the first rating period"), default=7, validators=[MinValueValidator(1)]
    )
    current_weight = models.DecimalField(
        _("share of current control in each rating"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.5"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    admission_threshold = _percent_field(_("admission to the exam from РД"), default=Decimal(50))
    admission_weight = models.DecimalField(
        _("weight of РД in the final grade"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.6"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    exam_weight = models.DecimalField(
        _("weight of the exam in the final grade"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.4"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )

    class Meta:
        verbose_name = _("course assessment")
        verbose_name_plural = _("course assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(admission_weight__gte=0) & Q(exam_weight__gte=0),
                name="assessment_weights_non_negative",
            ),
        ]

    def __str__(self):
        return str(self.course)

    def clean(self):
        if self.admission_weight + self.exam_weight != 1:
            raise ValidationError(_("The weights of РД and of the exam must add up to 1."))


class ControlKind(models.TextChoices):
    RK1 = "rk1", "РК1"
    RK2 = "rk2", "РК2"
    EXAM = "exam", _("Exam")


class ControlScore(models.Model):
    """A midterm control (РК1, РК2) or exam result, 0–100, entered by an instructor."""

    course = models.ForeignKey("coursework.Course", on_delete=models.CASCADE, related_name="control_scores")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="control_scores")
    kind = models.CharField(_("control"), max_length=10, choices=ControlKind.choices)
    score = _percent_field(_("score"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("control score")
        verbose_name_plural = _("control scores")
        constraints = [
            models.UniqueConstraint(fields=["course", "student", "kind"], name="control_score_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.student}: {self.score}"


class GradebookLock(models.Model):
    """A period in which a course's results are locked: any change needs a stated reason and is recorded."""

    course = models.ForeignKey("coursework.Course", on_delete=models.CASCADE, related_name="locks")
    starts_at = models.DateTimeField(_("locked from"))
    ends_at = models.DateTimeField(_("locked until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Unlocking ends a lock early; the department admin states why, and the lock stays on record.
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unlock_reason = models.CharField(_("reason for unlocking"), max_length=500, blank=True)

    class Meta:
        ordering = ["course", "-starts_at"]
        verbose_name = _("gradebook lock")
        verbose_name_plural = _("gradebook locks")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="lock_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.course}: {self.starts_at:%Y-%m-%d}"

    def is_active(self, now):
        ended = (self.ends_at is not None and now >= self.ends_at) or (
            self.unlocked_at is not None and now >= self.unlocked_at
        )
        return self.starts_at <= now and not ended


class LockedChange(models.Model):
    """A change made to a locked gradebook, with its stated reason."""

    class Kind(models.TextChoices):
        GRADE_SAVED = "grade_saved", _("Grade saved")
        GRADE_RELEASED = "grade_released", _("Grade released")
        CONTROL_SCORES = "control_scores", _("Control scores changed")

    # Each sentence is written in the reader's language when shown; ``what`` keeps it as it was first written.
    SENTENCES = {
        Kind.GRADE_SAVED: _("Grade of %(student)s for %(label)s"),
        Kind.GRADE_RELEASED: _("Release of the grade of %(student)s for %(label)s"),
        Kind.CONTROL_SCORES: _("Control scores changed: %(count)d"),
    }

    course = models.ForeignKey("coursework.Course", on_delete=models.CASCADE, related_name="locked_changes")
    lock = models.ForeignKey(GradebookLock, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    what = models.CharField(_("what changed"), max_length=300)
    kind = models.CharField(_("kind of change"), max_length=20, choices=Kind.choices, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["course", "-changed_at"]
        verbose_name = _("change after lock")
        verbose_name_plural = _("changes after lock")

    def __str__(self):
        return self.what

    @property
    def description(self):
        """What changed, in the reader's language (changes recorded before kinds were kept read as written)."""
        sentence = self.SENTENCES.get(self.kind)
        return sentence % self.details if sentence else self.what


class SignOff(models.Model):
    """The department admin's sign-off of a locked gradebook; it appears on the exports."""

    course = models.ForeignKey("coursework.Course", on_delete=models.CASCADE, related_name="sign_offs")
    lock = models.ForeignKey(GradebookLock, on_delete=models.PROTECT, related_name="sign_offs")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # The letter scale the gradebook was signed with (rows of letter, min/max percent, GPA, traditional grade):
    # a later change of the department's scale does not change a signed-off gradebook.
    letter_scale = models.JSONField(_("letter scale signed with"), default=list, blank=True)

    class Meta:
        ordering = ["course", "-signed_at"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")

    def __str__(self):
        return f"{self.course}: {self.signed_by}"
