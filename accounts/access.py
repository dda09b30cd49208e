"""Access helpers: every view fetches what it touches through these.

Each returns the object, or raises Http404 when the person may not know it exists and
PermissionDenied when their role does not fit the page at all.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from coursework.models import Assignment, Course


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


def assignment_for_user(user, course_pk, pk):
    """A task of a course the person may see."""
    courses = Course.objects.visible_to(user).filter(pk=course_pk)
    return get_object_or_404(
        Assignment.objects.select_related("course__department").filter(course__in=courses),
        pk=pk,
    )
