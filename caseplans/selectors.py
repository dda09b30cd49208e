"""What the instructor's case pages read: the course's vignettes with how many students have each, and who plans on
which case for a task. Each costs a fixed number of queries, however many students or vignettes there are."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from accounts.i18n import kazakh_sort_key
from caseplans.models import CaseAssignment, Vignette
from caseplans.services import has_started
from coursework.models import Deliverable, Enrollment
from portfolio.models import Version


def vignettes_of(course):
    """The course's vignettes, oldest first, each with ``student_count``: the students given it, over all tasks."""
    return list(course.vignettes.annotate(student_count=Count("assignments__student", distinct=True)).order_by("pk"))


def case_plan_tasks(course):
    """The course's case plan tasks, hidden ones too (the instructor prepares cases before showing a task)."""
    return list(course.tasks.filter(deliverable=Deliverable.CASE_PLAN).order_by("position", "pk"))


@dataclass(frozen=True)
class AssignmentRow:
    """One enrolled student of the task's course: their group, their case (or None), whether they started the plan
    (which fixes their case) and whether they handed it in."""

    student: object
    group: str
    assignment: CaseAssignment | None
    started: bool
    handed_in: bool

    @property
    def vignette(self):
        return self.assignment.vignette if self.assignment else None

    @property
    def can_change(self):
        return not self.started


@dataclass(frozen=True)
class VignetteCount:
    vignette: Vignette
    count: int


@dataclass(frozen=True)
class Assignments:
    """The assignment page's data: the rows (of ``group`` if given), the groups to filter by, the course's
    vignettes with how many students of the task have each, and how many students wait for a case."""

    rows: list
    group: str
    groups: list
    counts: list
    waiting: int

    @property
    def vignettes(self):
        return [count.vignette for count in self.counts]


def assignments_for(*, task, group=""):
    """Every enrolled student of the task's course (of ``group`` if it is one of the course's), by group then name,
    with their case for the task."""
    enrollments = list(Enrollment.objects.filter(course_id=task.course_id).select_related("student"))
    given = {
        assignment.student_id: assignment
        for assignment in CaseAssignment.objects.filter(task=task).select_related("vignette")
    }
    started = has_started(task=task, student_ids=[enrollment.student_id for enrollment in enrollments])
    handed_in = set(
        Version.objects.filter(submission__task=task, state=Version.State.SUBMITTED).values_list(
            "submission__student_id", flat=True
        )
    )
    per_vignette = Counter(assignment.vignette_id for assignment in given.values())
    counts = [VignetteCount(vignette, per_vignette[vignette.pk]) for vignette in task.course.vignettes.order_by("pk")]
    groups = sorted({enrollment.academic_group for enrollment in enrollments}, key=kazakh_sort_key)
    group = group if group in groups else ""
    rows = [
        AssignmentRow(
            student=enrollment.student,
            group=enrollment.academic_group,
            assignment=given.get(enrollment.student_id),
            started=enrollment.student_id in started,
            handed_in=enrollment.student_id in handed_in,
        )
        for enrollment in enrollments
        if not group or enrollment.academic_group == group
    ]
    rows.sort(key=lambda row: (kazakh_sort_key(row.group), kazakh_sort_key(row.student.display_name)))
    waiting = sum(1 for enrollment in enrollments if enrollment.student_id not in given)
    return Assignments(rows=rows, group=group, groups=groups, counts=counts, waiting=waiting)
