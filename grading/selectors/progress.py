"""Where students stand: their hand-ins (from portfolio) with the grades released to them."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from coursework.models import Task
from grading.models import Grade
from grading.selectors.grades import released_grade
from portfolio.models import Submission
from portfolio.selectors import student_progress as hand_in_progress


def student_progress(*, student, tasks):
    """Each task's progress for one student, with the newest released grade as it was released (a
    ``ReleasedGrade``: changes saved since stay the staff's until the next release): three queries in all, four when
    some tasks are built in the portal."""
    progress = hand_in_progress(student=student, tasks=tasks)
    released = {}
    grades = (
        Grade.objects.filter(
            submission__student=student, submission__task_id__in=list(progress), state=Grade.State.RELEASED
        )
        .select_related("version", "submission__task__course__department", "rubric", "graded_by")
        .order_by("version__number")
    )
    for grade in grades:
        shown = released_grade(grade)
        if shown is not None:
            released[grade.submission_id] = shown
    for item in progress.values():
        if item.latest is not None:
            item.grade = released.get(item.latest.submission_id)
    return progress


def with_completion(courses):
    """Annotate how many tasks the course shows, and over those tasks how many students handed in and how many of
    those have a released grade (hidden tasks count nowhere)."""
    tasks = Task.objects.shown().filter(course=OuterRef("pk")).values("course").annotate(n=Count("pk")).values("n")
    handed_in = (
        Submission.objects.filter(task__course=OuterRef("pk"), task__is_hidden=False, versions__state="submitted")
        .values("task__course")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    graded = (
        Grade.objects.filter(
            submission__task__course=OuterRef("pk"), submission__task__is_hidden=False, state=Grade.State.RELEASED
        )
        .values("submission__task__course")
        .annotate(n=Count("submission", distinct=True))
        .values("n")
    )
    return courses.annotate(
        task_count=Coalesce(Subquery(tasks), 0),
        submitted_count=Coalesce(Subquery(handed_in), 0),
        graded_count=Coalesce(Subquery(graded), 0),
    )
