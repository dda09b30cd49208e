from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.access import course_for_user, role_required, task_for_user
from accounts.models import Role
from coursework.models import Course, Enrollment
from grading.selectors import grade_outcome, grade_scores
from portfolio.forms import SubmitForm, UploadForm
from portfolio.selectors import student_progress
from portfolio.validation import EXTENSIONS_BY_DELIVERABLE


@dataclass
class ScheduleRow:
    task: object
    status: str
    progress: object = None


def _schedule(course, now, progress=None):
    """The course's tasks with their status at ``now`` and, for a student, where they stand."""
    progress = progress or {}
    return [ScheduleRow(task, task.status(now), progress.get(task.pk)) for task in course.tasks.all()]


@role_required(Role.STUDENT)
def student_home(request):
    now = timezone.now()
    enrollments = list(
        Enrollment.objects.filter(student=request.user)
        .select_related("course__department")
        .prefetch_related("course__tasks")
        .order_by("course__code")
    )
    tasks = [task for enrollment in enrollments for task in enrollment.course.tasks.all()]
    progress = student_progress(student=request.user, tasks=tasks)
    courses = [(enrollment, _schedule(enrollment.course, now, progress)) for enrollment in enrollments]
    return render(request, "coursework/student_home.html", {"courses": courses, "now": now})


@role_required(Role.INSTRUCTOR)
def instructor_home(request):
    now = timezone.now()
    courses = (
        Course.objects.taught_by(request.user)
        .select_related("department")
        .prefetch_related("tasks")
        .with_enrollment_count()
    )
    rows = [(course, _schedule(course, now)) for course in courses]
    return render(request, "coursework/instructor_home.html", {"courses": rows, "now": now})


@role_required(Role.DEPARTMENT_ADMIN)
def department_home(request):
    department = request.user.department
    courses = (
        Course.objects.visible_to(request.user)
        .prefetch_related("instructors")
        .with_enrollment_count()
        .with_task_count()
        .with_completion()
    )
    return render(request, "coursework/department_home.html", {"department": department, "courses": courses})


@login_required
def course_detail(request, pk):
    course = course_for_user(request.user, pk)
    now = timezone.now()
    enrollment = None
    progress = None
    if request.user.role == Role.STUDENT:
        enrollment = course.enrollments.filter(student=request.user).first()
        progress = student_progress(student=request.user, tasks=course.tasks.all())
    context = {
        "course": course,
        "schedule": _schedule(course, now, progress),
        "enrollment": enrollment,
        "instructors": course.instructors.all(),
        "now": now,
    }
    return render(request, "coursework/course_detail.html", context)


@login_required
def task_detail(request, course_pk, pk):
    task = task_for_user(request.user, course_pk, pk)
    now = timezone.now()
    context = {
        "course": task.course,
        "task": task,
        "status": task.status(now),
        "now": now,
        "is_staff_view": request.user.role != Role.STUDENT,
    }
    if request.user.role == Role.STUDENT:
        progress = student_progress(student=request.user, tasks=[task])[task.pk]
        context.update(
            progress=progress,
            is_closed=progress.deadline.is_closed(now),
            is_late_now=progress.deadline.is_late(now),
            upload_form=UploadForm(accept=",".join(f".{ext}" for ext in EXTENSIONS_BY_DELIVERABLE[task.deliverable])),
            accepted_extensions=EXTENSIONS_BY_DELIVERABLE[task.deliverable],
            submit_form=SubmitForm(),
            max_file_size=settings.PORTFOLIO_MAX_FILE_SIZE,
            draft_files=list(progress.draft.files.all()) if progress.draft else [],
        )
        if progress.grade is not None:
            context.update(
                grade=progress.grade, scores=grade_scores(progress.grade), outcome=grade_outcome(progress.grade)
            )
    if task.rubric_id:
        criteria = list(task.rubric.criteria.prefetch_related("levels"))
        context.update(
            rubric=task.rubric,
            rubric_criteria=criteria,
            rubric_columns=list(criteria[0].levels.all()) if criteria else [],
        )
    return render(request, "coursework/task_detail.html", context)
