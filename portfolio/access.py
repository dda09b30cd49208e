"""Access helpers for students' work and its files (see ``accounts.access`` for the conventions).

A student's work is open to the student, to the instructors of its course and to the admins of the
course's department; only the course's instructors grade it.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from accounts.access import require_grader
from coursework.models import Course
from portfolio.models import Submission, SubmissionFile, Version


def work_visible_to(user, prefix=""):
    """Rows (reached through ``prefix``) whose student is the person, or whose course they teach or oversee."""
    staffed = Course.objects.staffed_by(user).values("pk")
    return Q(**{f"{prefix}student": user}) | Q(**{f"{prefix}task__course__in": staffed})


def submission_for_viewer(user, pk):
    return get_object_or_404(
        Submission.objects.select_related("task__course__department", "student").filter(work_visible_to(user)),
        pk=pk,
    )


def file_for_viewer(user, pk):
    """A file of the person's own work, or a submitted file of a course they teach or oversee.

    Drafts are the student's own staging area: staff see a file once it is handed in.
    """
    staffed = Course.objects.staffed_by(user).values("pk")
    own = Q(version__submission__student=user)
    handed_in = Q(version__submission__task__course__in=staffed, version__state=Version.State.SUBMITTED)
    return get_object_or_404(
        SubmissionFile.objects.select_related(
            "version__submission__task__course", "version__submission__student"
        ).filter(own | handed_in),
        pk=pk,
    )


def submission_for_grader(user, pk):
    """A submission of a course the person teaches: only its instructors grade."""
    require_grader(user)
    courses = Course.objects.all() if user.is_superuser else Course.objects.taught_by(user)
    return get_object_or_404(
        Submission.objects.select_related("task__course__department", "task__rubric", "student").filter(
            task__course__in=courses
        ),
        pk=pk,
    )


def staged_file_for_student(*, task, student, pk):
    """A file of the student's own that the next hand-in of work built in the portal carries (СӨЖ 4's report, СӨЖ 3's
    presentation): a file of their draft, or of their latest version (which a new draft starts from). 404 for anything
    else: another student's file, another task's, an older version's, or the PDF the portal made."""
    return get_object_or_404(
        SubmissionFile.objects.select_related("version__submission").filter(
            Q(version__state=Version.State.DRAFT) | Q(version__is_latest=True),
            version__submission__task=task,
            version__submission__student=student,
            is_generated=False,
        ),
        pk=pk,
    )
