"""The pages people land on: each role's home, a course's schedule, a task, and a student's portfolio.

They live here, in the top layer, because they show the schedule (coursework), the hand-ins
(portfolio) and the released grades (grading) together.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import role_required
from accounts.models import Role
from coursework.access import course_for_user, enrollment_for_student, task_for_user, teaches
from coursework.models import Course, Deliverable, Enrollment, Task
from coursework.selectors.courses import course_document
from coursework.selectors.slots import slot_groups
from grading.selectors.grades import grade_outcome, grade_scores
from grading.selectors.progress import student_progress
from grading.selectors.queue import task_counts
from grading.selectors.rubrics import rubric_criteria
from portfolio.forms import SubmitForm, UploadForm
from portfolio.models import SubmissionFile
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE


@dataclass
class ScheduleRow:
    task: object
    status: str
    url: str  # the task's page
    progress: object = None  # a student's own standing
    counts: object = None  # for staff: how many handed in, graded, released, late


def _schedule(tasks, now, progress=None, counts=None):
    """The course's tasks with their status at ``now`` and, for a student, where they stand; for staff, counts.

    Hidden tasks are left out, for staff too (they find them in the task editor). They are dropped here rather
    than in the query, so that tasks the caller prefetched are used as they are."""
    progress, counts = progress or {}, counts or {}
    return [
        ScheduleRow(
            task,
            task.status(now),
            reverse("grading:task_detail", args=(task.course_id, task.pk)),
            progress.get(task.pk),
            counts.get(task.pk),
        )
        for task in tasks
        if not task.is_hidden
    ]


# What a schedule reads of the students' versions: neither their stored content nor their check report.
SCHEDULE_DEFER = ("content", "check_report")


@role_required(Role.STUDENT)
def student_home(request):
    now = timezone.now()
    enrollments = list(
        Enrollment.objects.filter(student=request.user).select_related("course").order_by("course__code")
    )
    # The courses' tasks in one query, each given its course (its due dates count from the course's start).
    course_of = {enrollment.course_id: enrollment.course for enrollment in enrollments}
    tasks = list(Task.objects.shown().for_schedule().filter(course_id__in=list(course_of)))
    tasks_of = {}
    for task in tasks:
        task.course = course_of[task.course_id]
        tasks_of.setdefault(task.course_id, []).append(task)
    progress = student_progress(student=request.user, tasks=tasks, defer=SCHEDULE_DEFER)
    courses = [
        (enrollment, _schedule(tasks_of.get(enrollment.course_id, []), now, progress)) for enrollment in enrollments
    ]
    return render(request, "grading/courses/student_home.html", {"courses": courses, "now": now})


@role_required(Role.INSTRUCTOR)
def instructor_home(request):
    now = timezone.now()
    courses = (
        Course.objects.taught_by(request.user)
        .select_related("department")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.shown()))
        .with_enrollment_count()
    )
    counts = task_counts([task for course in courses for task in course.tasks.all()])
    rows = [(course, _schedule(course.tasks.all(), now, counts=counts)) for course in courses]
    return render(request, "grading/courses/instructor_home.html", {"courses": rows, "now": now})


@login_required
def course_detail(request, pk):
    now = timezone.now()
    enrollment = progress = counts = None
    if request.user.is_student:
        enrollment = enrollment_for_student(request.user, pk)
        course = enrollment.course
    else:
        course = course_for_user(request.user, pk)
    # The tasks are read once, for the progress or the counts and for the schedule; hidden ones it leaves out.
    tasks = list(course.tasks.shown().for_schedule())
    if enrollment is not None:
        progress = student_progress(student=request.user, tasks=tasks, defer=SCHEDULE_DEFER)
    else:
        counts = task_counts(tasks)
    context = {
        "course": course,
        "schedule": _schedule(tasks, now, progress, counts),
        "enrollment": enrollment,
        # What the page shows of them, their names (and who they are: the reading list's editor link).
        "instructors": course.instructors.only("username", "last_name", "first_name", "middle_name"),
        "document": course_document(course),
        "now": now,
    }
    return render(request, "grading/courses/course_detail.html", context)


@login_required
def task_detail(request, course_pk, pk):
    task = task_for_user(request.user, course_pk, pk)
    now = timezone.now()
    # First: it loads the task's rubric, which the student's released grade then reuses.
    rubric_context = _rubric_context(task)
    context = {
        "course": task.course,
        "task": task,
        "status": task.status(now),
        "now": now,
        "is_staff_view": not request.user.is_student,
        "slot_groups": slot_groups(task=task, now=now, student=request.user if request.user.is_student else None),
        "can_manage_slots": not request.user.is_student and teaches(request.user, task.course),
        **(_hand_in_context(request.user, task, now) if request.user.is_student else {}),
        **rubric_context,
    }
    return render(request, "grading/courses/task_detail.html", context)


def _hand_in_context(student, task, now):
    """What the student's side of a task page shows: their progress, the hand-in forms, the released grade."""
    defer = ("content",) if task.deliverable == Deliverable.SERVICE_REPOSITORY else ("content", "check_report")
    progress = student_progress(student=student, tasks=[task], defer=defer)[task.pk]
    # The files of the draft and of the latest version (the hand-in panel lists both): one query.
    prefetch_related_objects(
        [version for version in (progress.draft, progress.latest) if version is not None],
        Prefetch("files", queryset=SubmissionFile.objects.order_by("uploaded_at", "pk")),
    )
    extensions = EXTENSIONS_BY_DELIVERABLE[task.deliverable]
    context = {
        "progress": progress,
        "is_closed": progress.deadline.is_closed(now),
        "is_late_now": progress.deadline.is_late(now),
        "upload_form": UploadForm(accept=",".join(f".{ext}" for ext in extensions)),
        "accepted_extensions": extensions,
        "submit_form": SubmitForm(),
        "max_file_size": settings.PORTFOLIO_MAX_FILE_SIZE,
        "draft_files": list(progress.draft.files.all()) if progress.draft else [],
    }
    if progress.grade is not None:
        context.update(grade=progress.grade, scores=grade_scores(progress.grade), outcome=grade_outcome(progress.grade))
    return context


def _rubric_context(task):
    """The task's rubric with its criteria and their levels, in the rubric's order: read with the task, and its rows
    once per process for each state of the rubric (``rubric_criteria``)."""
    if not task.rubric_id:
        return {}
    criteria = rubric_criteria(task.rubric)
    return {
        "rubric": task.rubric,
        "rubric_criteria": criteria,
        "rubric_columns": list(criteria[0].levels.all()) if criteria else [],
    }


@require_GET
@role_required(Role.STUDENT)
def student_portfolio(request, course_pk):
    course = course_for_user(request.user, course_pk)
    tasks = list(course.tasks.shown())
    progress = student_progress(student=request.user, tasks=tasks)
    files = {}
    for item in SubmissionFile.objects.filter(version__in=[p.latest for p in progress.values() if p.latest]):
        files.setdefault(item.version_id, []).append(item)
    rows = [(task, progress[task.pk], files.get(getattr(progress[task.pk].latest, "pk", None), [])) for task in tasks]
    return render(request, "grading/courses/student_portfolio.html", {"course": course, "rows": rows})
