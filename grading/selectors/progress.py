"""Where students stand: their hand-ins (from portfolio) with the grades released to them."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from coursework.models import Task
from grading.models import Grade
from grading.selectors.grades import released_grade
from portfolio.models import Submission
from portfolio.selectors import student_progress as hand_in_progress

# What a student's pages read of a released grade (``ReleasedGrade``): the released figures and values, and the ids
# it is reached by; the working values, feedback and bookkeeping stay the staff's and are not loaded.
RELEASED_FIELDS = (
    "version_id",
    "submission_id",
    "state",
    "rubric_id",
    "graded_by_id",
    "released_at",
    "released_points",
    "released_percent",
    "released_values",
)


# The rest of a grade: the staff's working values, feedback and bookkeeping.
_UNRELEASED = tuple(
    f"grade__{field.name}" for field in Grade._meta.concrete_fields if field.attname not in ("id", *RELEASED_FIELDS)
)


def student_progress(*, student, tasks, defer=()):
    """Each task's progress for one student, with the newest released grade as it was released (a
    ``ReleasedGrade``: changes saved since stay the staff's until the next release): three queries in all, four when
    some tasks are built in the portal (the grades are read with the versions they grade). ``defer``: the versions'
    fields the caller does not read (see ``portfolio.selectors.student_progress``).

    A grade is given the version, submission and task already loaded, so that reading them costs no query; and
    the task's rubric when the task has it loaded and the grade used it (the task page shows the rubric anyway)."""
    progress = hand_in_progress(student=student, tasks=tasks, defer=(*defer, *_UNRELEASED), related=("grade",))
    released = {}
    for item in progress.values():
        for version in item.versions:  # in the order of their numbers: the newest released grade is kept
            grade = version.grade if hasattr(version, "grade") else None  # loaded with it: no query
            shown = released_grade(_attach(grade, version)) if grade is not None else None
            if shown is not None:
                released[version.submission_id] = shown
    for item in progress.values():
        if item.latest is not None:
            item.grade = released.get(item.latest.submission_id)
    return progress


def _attach(grade, version):
    """The grade with its version's submission and task (loaded with the progress), and the task's rubric when
    loaded and the same."""
    grade.submission = version.submission
    task = grade.submission.task
    if grade.rubric_id is not None and grade.rubric_id == task.rubric_id and Task.rubric.is_cached(task):
        grade.rubric = task.rubric
    return grade


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
