"""Access helpers for grades and rubrics (see ``accounts.access`` for the conventions)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from coursework.models import Course
from grading.models import Grade, Rubric


def grade_for_viewer(user, pk):
    """A grade its student may read once released; staff of its course at any time."""
    staffed = Course.objects.staffed_by(user).values("pk")
    own_released = Q(submission__student=user, state=Grade.State.RELEASED)
    return get_object_or_404(
        Grade.objects.select_related(
            "submission__task__course__department", "submission__student", "version", "rubric", "graded_by"
        ).filter(own_released | Q(submission__task__course__in=staffed)),
        pk=pk,
    )


def can_edit_rubric(user, rubric):
    """A department's rubric is edited by its author and by the department's admin: the department's other
    instructors use and copy it, but may not change how a colleague's tasks are graded. Shared seed rubrics are
    copied, not edited."""
    if user.is_superuser:
        return True
    if rubric.department_id is None or rubric.department_id != user.department_id:
        return False
    return user.is_department_admin or (rubric.created_by_id is not None and rubric.created_by_id == user.pk)


def rubric_for_user(user, pk):
    """A rubric the person may read, attach or copy: shared ones and their department's; 404 for the rest."""
    return get_object_or_404(
        Rubric.objects.usable_by(user).select_related("holistic_scale", "department", "created_by"), pk=pk
    )


def rubric_for_editor(user, pk):
    """A rubric the person may edit: 403 for students and for the department's instructors who did not write it,
    404 for a rubric that is not their department's."""
    if not (user.is_superuser or user.is_instructor or user.is_department_admin):
        raise PermissionDenied
    rubric = rubric_for_user(user, pk)
    if can_edit_rubric(user, rubric):
        return rubric
    if rubric.department_id is not None and rubric.department_id == user.department_id:
        raise PermissionDenied
    raise Http404
