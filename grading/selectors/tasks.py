"""The task editor's questions: the course's tasks with what hangs on them, their points per rating period against
the total the department expects, what a change of a task's maximum points would do to its grades, and the log of
changes, in the reader's language.

Rules, stated once:
- The sums count the tasks that are not hidden and have maximum points; tasks without them are graded as a
  percentage, outside the total. A task counts in ТК1 or ТК2 as the instructor chose, else by its due week
  against the course's last week of the first rating period (``Task.in_first_period``), as the gradebook does.
- A task can be deleted while nobody has work (a draft or a hand-in) or a booked seat for it; else it is hidden.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coursework.models import ABBREVIATIONS, Booking, Extension, Task, TaskChange
from directory.models import InstitutionReport
from grading import scoring
from grading.models import Grade, Rubric
from grading.selectors.gradebook import assessment_for
from grading.selectors.queue import TaskCounts, task_counts
from grading.selectors.rollup import LABELS
from grading.templatetags.grading_numbers import figure
from portfolio.models import Submission

RECENT_CHANGES = 20


@dataclass
class EditorRow:
    task: Task
    counts: TaskCounts
    first_period: bool  # counts in ТК1 (else ТК2)
    can_delete: bool

    @property
    def kind_label(self):
        """СӨЖ or СОӨЖ as the reader's language abbreviates them (СРС, СРСП in Russian)."""
        written = self.task.get_kind_display()
        return dict(ABBREVIATIONS).get(written, written)

    @property
    def period_label(self):
        """ТК1 or ТК2 as the reader's language writes them (CA1, CA2 in English)."""
        return LABELS["tk1" if self.first_period else "tk2"]


@dataclass
class PointsSummary:
    first: Decimal
    second: Decimal
    expected: Decimal | None
    first_half_last_week: int
    percentage_tasks: list
    hidden_count: int

    first_label = LABELS["tk1"]
    second_label = LABELS["tk2"]

    @property
    def total(self):
        return self.first + self.second

    @property
    def difference(self):
        """How far the tasks' total is from the department's (positive: more); None when it expects none."""
        return None if self.expected is None else self.total - self.expected

    @property
    def gap(self):
        return None if self.difference is None else abs(self.difference)


def editor_tasks(course):
    """Every task of the course in the table's order, hidden ones too, with what the editor shows about each."""
    tasks = list(
        Task.objects.filter(course=course)
        .select_related("rubric")
        .annotate(
            has_work=Exists(Submission.objects.filter(task=OuterRef("pk"))),
            has_bookings=Exists(Booking.objects.filter(slot__task=OuterRef("pk"))),
            has_extensions=Exists(Extension.objects.filter(task=OuterRef("pk"))),
            has_institutions=Exists(InstitutionReport.objects.filter(task=OuterRef("pk"))),
        )
        .order_by("position", "due_week", "pk")
    )
    for task in tasks:
        task.course = course  # its due moment reads the course's start: one object for all, no query per task
    last_week = assessment_for(course).first_half_last_week
    counts = task_counts(tasks)
    rows = [
        EditorRow(
            task=task,
            counts=counts[task.pk],
            first_period=task.in_first_period(last_week),
            can_delete=not (task.has_work or task.has_bookings or task.has_extensions or task.has_institutions),
        )
        for task in tasks
    ]
    return rows, points_summary(course, tasks, last_week)


def can_delete(task):
    """Whether nobody has work, a booked seat, an extension or a chosen institution for the task (see
    ``coursework.services.tasks.task_delete``)."""
    return not (
        Submission.objects.filter(task=task).exists()
        or Booking.objects.filter(slot__task=task).exists()
        or task.extensions.exists()
        or task.institution_reports.exists()
    )


def points_summary(course, tasks, first_half_last_week):
    first = second = Decimal(0)
    for task in tasks:
        if task.is_hidden or task.max_points is None:
            continue
        if task.in_first_period(first_half_last_week):
            first += task.max_points
        else:
            second += task.max_points
    return PointsSummary(
        first=first,
        second=second,
        expected=course.expected_points,
        first_half_last_week=first_half_last_week,
        percentage_tasks=[task for task in tasks if not task.is_hidden and task.max_points is None],
        hidden_count=sum(1 for task in tasks if task.is_hidden),
    )


@dataclass
class PointsChange:
    """What a change of a graded task's maximum points does: how many grades, how many of them released, and
    one of them worked through (its points and percentage now, its points after)."""

    task: Task
    old_max: Decimal | None
    new_max: Decimal | None
    grades: int
    released: int
    example_points: Decimal | None = None
    example_percent: Decimal | None = None
    example_new_points: Decimal | None = None

    @property
    def kind(self):
        """``rescale`` (points to points), ``to_percentage`` or ``to_points``."""
        if self.new_max is None:
            return "to_percentage"
        return "to_points" if self.old_max is None else "rescale"


def points_change(task, new_max):
    """What changing ``task``'s maximum points to ``new_max`` does to its grades; None when it touches none."""
    if new_max == task.max_points:
        return None
    grades = Grade.objects.filter(submission__task=task)
    totals = grades.aggregate(n=Count("pk"), released=Count("pk", filter=Q(state=Grade.State.RELEASED)))
    if not totals["n"]:
        return None
    change = PointsChange(
        task=task, old_max=task.max_points, new_max=new_max, grades=totals["n"], released=totals["released"]
    )
    example = grades.filter(percent__isnull=False).order_by("pk").first()
    if example is not None:
        change.example_points = example.points
        change.example_percent = example.percent
        change.example_new_points = scoring.share_of(new_max, example.percent)
    return change


@dataclass
class LogEntry:
    change: TaskChange
    sentence: str


def recent_changes(course, limit=RECENT_CHANGES):
    """The newest changes to the course's tasks, each told in the reader's language: two queries."""
    changes = list(TaskChange.objects.filter(task__course=course).select_related("task", "changed_by")[:limit])
    rubric_ids = {
        int(value)
        for change in changes
        if change.kind == TaskChange.Kind.RUBRIC
        for value in (change.old_value, change.new_value)
        if value.isdigit()
    }
    titles = (
        {rubric.pk: rubric.display_title for rubric in Rubric.objects.filter(pk__in=rubric_ids)} if rubric_ids else {}
    )
    return [LogEntry(change, _sentence(change, titles)) for change in changes]


def _sentence(change, titles):
    task = change.task.display_label
    if change.kind == TaskChange.Kind.HIDDEN:
        return _("%(task)s hidden: it left the schedule, the queues and the gradebook.") % {"task": task}
    if change.kind == TaskChange.Kind.SHOWN:
        return _("%(task)s shown again.") % {"task": task}
    if change.kind == TaskChange.Kind.MAX_POINTS:
        return _points_sentence(change, task)
    if change.kind == TaskChange.Kind.RUBRIC:
        return _rubric_sentence(change, task, titles)
    return f"{task}: {change.get_kind_display()}"


def _points_sentence(change, task):
    values = {"task": task, "old": figure(change.old_value or None), "new": figure(change.new_value or None)}
    if not change.new_value:
        text = _("%(task)s: maximum points %(old)s removed; the task is graded as a percentage.") % values
    elif not change.old_value:
        text = _("%(task)s: maximum points set to %(new)s; it was graded as a percentage.") % values
    else:
        text = _("%(task)s: maximum points changed from %(old)s to %(new)s.") % values
    if change.affected_grades:
        count = change.affected_grades
        text += " " + ngettext("%(count)d grade rescaled.", "%(count)d grades rescaled.", count) % {"count": count}
    return text


def _rubric_title(titles, value):
    return titles.get(int(value), "—") if value.isdigit() else "—"


def _rubric_sentence(change, task, titles):
    values = {
        "task": task,
        "old": _rubric_title(titles, change.old_value),
        "new": _rubric_title(titles, change.new_value),
    }
    if not change.new_value:
        text = _("%(task)s: rubric “%(old)s” removed; points are entered directly.") % values
    elif not change.old_value:
        text = _("%(task)s: rubric “%(new)s” attached.") % values
    else:
        text = _("%(task)s: rubric changed from “%(old)s” to “%(new)s”.") % values
    if change.affected_grades:
        count = change.affected_grades
        text += " " + ngettext(
            "%(count)d grade keeps the rubric it was given with.",
            "%(count)d grades keep the rubric they were given with.",
            count,
        ) % {"count": count}
    return text
