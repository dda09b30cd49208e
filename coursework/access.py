"""Access helpers for courses, their tasks and rosters (see ``accounts.access`` for the conventions)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import require_grader, require_student
from coursework.models import Booking, Course, Enrollment, Slot, Task


def teaches(user, course):
    """The person is one of the course's instructors (superusers count as every course's instructor)."""
    return user.is_superuser or course.instructors.filter(pk=user.pk).exists()


def reviews(user, course):
    """The person is an admin of the course's department (superusers review every course)."""
    return user.is_superuser or (user.is_department_admin and user.department_id == course.department_id)


def course_for_user(user, pk):
    """A course the person studies, teaches, or oversees as their department's admin."""
    return get_object_or_404(Course.objects.visible_to(user).select_related("department"), pk=pk)


def enrollment_for_student(user, course_pk):
    """The student's own place on a course's roster, with its course: for a student, the course they may open
    (``course_for_user``) and their group in it, in one query."""
    require_student(user)
    return get_object_or_404(Enrollment.objects.select_related("course__department"), course_id=course_pk, student=user)


def course_for_staff(user, pk):
    """A course the person teaches or oversees."""
    return get_object_or_404(Course.objects.staffed_by(user).select_related("department"), pk=pk)


def course_for_instructor(user, pk):
    """A course the person teaches: 404 outside their reach, 403 for the department admin who only oversees it."""
    course = course_for_staff(user, pk)
    if not teaches(user, course):
        raise PermissionDenied
    return course


def course_for_reviewer(user, pk):
    """A course of the person's department, for its admin: 403 for the course's instructors."""
    course = course_for_staff(user, pk)
    if not reviews(user, course):
        raise PermissionDenied
    return course


def enrollment_for_record(user, course_pk, student_pk):
    """One student's place on a roster, for their course record: the student themself, or the course's staff."""
    if user.is_student:
        if user.pk != student_pk:
            raise Http404
        course = course_for_user(user, course_pk)
    else:
        course = course_for_staff(user, course_pk)
    return get_object_or_404(
        Enrollment.objects.select_related("student", "course__department"), course=course, student_id=student_pk
    )


def _enrolled_tasks(student, course_pk):
    """The shown tasks of the course if the student is enrolled in it (one enrolment a course, so one row a task):
    joined through the enrolment, which costs a quarter less to put together than a subquery of their courses, on
    every page and step of a task."""
    tasks = Task.objects.select_related("course__department", "rubric")
    return tasks.filter(course_id=course_pk, course__enrollments__student=student).shown()


def _tasks(courses):
    # With its rubric: the task page shows it, and the pages that grade or show a grade read its bands.
    return Task.objects.select_related("course__department", "rubric").filter(course__in=courses)


def task_for_user(user, course_pk, pk):
    """A task of a course the person may see; students never see a hidden task."""
    if user.is_student:
        return get_object_or_404(_enrolled_tasks(user, course_pk), pk=pk)
    return get_object_or_404(_tasks(Course.objects.visible_to(user).filter(pk=course_pk)), pk=pk)


def task_for_staff(user, course_pk, pk):
    """A task of a course the person teaches or oversees."""
    return get_object_or_404(_tasks(Course.objects.staffed_by(user).filter(pk=course_pk)), pk=pk)


def task_for_grader(user, course_pk, pk):
    """A task of a course the person teaches: only instructors change deadlines and grades."""
    require_grader(user)
    return task_for_staff(user, course_pk, pk)


def task_for_student(user, course_pk, pk):
    """A task of a course the student is enrolled in, not hidden; the task they hand work in for."""
    require_student(user)
    return get_object_or_404(_enrolled_tasks(user, course_pk), pk=pk)


def task_for_instructor(user, course_pk, pk):
    """A task of a course the person teaches, hidden or not: 403 for other roles, 404 for another course's."""
    require_grader(user)
    course = course_for_instructor(user, course_pk)
    return get_object_or_404(Task.objects.select_related("course__department"), course=course, pk=pk)


def slot_for_instructor(user, course_pk, pk):
    """A slot of a task of a course the person teaches (as ``task_for_instructor``)."""
    require_grader(user)
    course = course_for_instructor(user, course_pk)
    return get_object_or_404(Slot.objects.select_related("task__course__department"), task__course=course, pk=pk)


def slot_for_student(user, course_pk, pk):
    """A slot of a shown task of a course the student is enrolled in: the one they book."""
    require_student(user)
    course = course_for_user(user, course_pk)
    return get_object_or_404(
        Slot.objects.select_related("task__course__department"), task__course=course, task__is_hidden=False, pk=pk
    )


def booking_for_student(user, course_pk, pk):
    """The student's own booking in a course: nobody cancels another student's seat."""
    require_student(user)
    return get_object_or_404(
        Booking.objects.select_related("slot__task__course"), slot__task__course_id=course_pk, student=user, pk=pk
    )
