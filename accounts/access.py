"""Access helpers: every view fetches what it touches through these.

Each returns the object, or raises Http404 when the person may not know it exists and
PermissionDenied when their role does not fit the page at all. A student's work is open to
the student, to the instructors of its course and to the admins of the course's department.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.models import Role
from coursework.models import Course, Task
from portfolio.models import Submission, SubmissionFile


def role_required(*roles):
    """Let in signed-in people whose role is one of ``roles`` (superusers always); 403 for the rest."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not (request.user.is_superuser or request.user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def course_for_user(user, pk):
    """A course the person studies, teaches, or oversees as their department's admin."""
    return get_object_or_404(Course.objects.visible_to(user).select_related("department"), pk=pk)


def course_for_staff(user, pk):
    """A course the person teaches or oversees."""
    return get_object_or_404(Course.objects.staffed_by(user).select_related("department"), pk=pk)


def task_for_user(user, course_pk, pk):
    """A task of a course the person may see."""
    return get_object_or_404(
        Task.objects.select_related("course__department").filter(
            course__in=Course.objects.visible_to(user).filter(pk=course_pk)
        ),
        pk=pk,
    )


def task_for_staff(user, course_pk, pk):
    """A task of a course the person teaches or oversees."""
    return get_object_or_404(
        Task.objects.select_related("course__department").filter(
            course__in=Course.objects.staffed_by(user).filter(pk=course_pk)
        ),
        pk=pk,
    )


def task_for_grader(user, course_pk, pk):
    """A task of a course the person teaches: only instructors change deadlines and grades."""
    if not (user.is_superuser or user.role == Role.INSTRUCTOR):
        raise PermissionDenied
    return task_for_staff(user, course_pk, pk)


def task_for_student(user, course_pk, pk):
    """A task of a course the student is enrolled in; the task they hand work in for."""
    if user.role != Role.STUDENT:
        raise PermissionDenied
    return get_object_or_404(
        Task.objects.select_related("course__department").filter(
            course_id=course_pk, course__enrollments__student=user
        ),
        pk=pk,
    )


def _work_visible_to(user, prefix):
    """Rows whose student is the person, or whose course the person teaches or oversees."""
    staffed = Course.objects.staffed_by(user).values("pk")
    return Q(**{f"{prefix}student": user}) | Q(**{f"{prefix}task__course__in": staffed})


def submission_for_viewer(user, pk):
    return get_object_or_404(
        Submission.objects.select_related("task__course__department", "student").filter(_work_visible_to(user, "")),
        pk=pk,
    )


def file_for_viewer(user, pk):
    """A file of the person's own work, or a submitted file of a course they teach or oversee.

    Drafts are the student's own staging area: staff see a file once it is handed in.
    """
    staffed = Course.objects.staffed_by(user).values("pk")
    own = Q(version__submission__student=user)
    handed_in = Q(version__submission__task__course__in=staffed, version__state="submitted")
    return get_object_or_404(
        SubmissionFile.objects.select_related(
            "version__submission__task__course", "version__submission__student"
        ).filter(own | handed_in),
        pk=pk,
    )


def submission_for_grader(user, pk):
    """A submission of a course the person teaches: only its instructors grade."""
    if not (user.is_superuser or user.role == Role.INSTRUCTOR):
        raise PermissionDenied
    return get_object_or_404(
        Submission.objects.select_related("task__course__department", "task__rubric", "student").filter(
            task__course__in=Course.objects.taught_by(user) if not user.is_superuser else Course.objects.all()
        ),
        pk=pk,
    )


def grade_for_viewer(user, pk):
    """A grade its student may read once released; staff of its course at any time."""
    from grading.models import Grade

    staffed = Course.objects.staffed_by(user).values("pk")
    own_released = Q(submission__student=user, state=Grade.State.RELEASED)
    return get_object_or_404(
        Grade.objects.select_related(
            "submission__task__course__department", "submission__student", "version", "rubric", "graded_by"
        ).filter(own_released | Q(submission__task__course__in=staffed)),
        pk=pk,
    )


def rubric_for_editor(user, pk):
    """A rubric the person may edit: their department's own (shared seed rubrics are copied, not edited)."""
    from grading.models import Rubric

    if not (user.is_superuser or user.role in (Role.INSTRUCTOR, Role.DEPARTMENT_ADMIN)):
        raise PermissionDenied
    rubrics = Rubric.objects.all() if user.is_superuser else Rubric.objects.filter(department_id=user.department_id)
    return get_object_or_404(rubrics, pk=pk)


def rubric_for_user(user, pk):
    """A rubric the person may read, attach or copy: shared ones and their department's; 404 for the rest."""
    from grading.models import Rubric

    return get_object_or_404(Rubric.objects.usable_by(user).select_related("holistic_scale", "department"), pk=pk)
