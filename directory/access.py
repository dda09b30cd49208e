"""Who reaches a department's directory of social services (see ``accounts.access`` for the conventions).

Every signed-in member of a department — students, instructors, its admins — searches that department's directory;
nobody else sees any of it. Students never see a hidden entry; instructors and department admins (and superusers
who belong to the department) see it marked, and hide or show entries.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from directory.models import Entry


def directory_department_id(user):
    """The department whose directory the person searches: their own; 403 for an account of no department."""
    if user.department_id is None:
        raise PermissionDenied
    return user.department_id


def sees_hidden(user):
    """Staff see hidden entries (marked), and hide and show them; students do not."""
    return not user.is_student


def entry_for_member(user, pk):
    """An entry of the person's department's directory: 404 for another department's, and for a student a hidden one."""
    entries = Entry.objects.of_department(directory_department_id(user)).select_related("hidden_by")
    if not sees_hidden(user):
        entries = entries.shown()
    return get_object_or_404(entries, pk=pk)


def entry_for_staff(user, pk):
    """An entry of the person's department, for hiding or showing it: 403 for students."""
    if not sees_hidden(user):
        raise PermissionDenied
    return entry_for_member(user, pk)
