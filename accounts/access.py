"""Who may do what, by role: the rules every access helper of the domain apps is built on.

The object fetchers live with the objects they fetch (``coursework.access``, ``portfolio.access``,
``grading.access``), each built on these rules, so that ``accounts`` knows no domain app. Every fetcher
returns the object, or raises Http404 when the person may not know it exists and PermissionDenied when
their role does not fit the page at all.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


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


def require_grader(user):
    """Only instructors (and superusers) change grades, deadlines and rubrics of tasks."""
    if not user.can_grade:
        raise PermissionDenied


def require_student(user):
    """Only students hand work in."""
    if not user.is_student:
        raise PermissionDenied
