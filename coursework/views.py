from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from accounts.access import assignment_for_user, course_for_user, role_required
from accounts.models import Role
from coursework.models import Course, Enrollment


def _schedule(course, now):
    """The course's tasks, each with its status at ``now``."""
    return [(assignment, assignment.status(now)) for assignment in course.assignments.all()]


@role_required(Role.STUDENT)
def student_home(request):
    now = timezone.now()
    enrollments = (
        Enrollment.objects.filter(student=request.user)
        .select_related("course__department")
        .prefetch_related("course__assignments")
        .order_by("course__code")
    )
    courses = [(enrollment, _schedule(enrollment.course, now)) for enrollment in enrollments]
    return render(request, "coursework/student_home.html", {"courses": courses, "now": now})


@role_required(Role.INSTRUCTOR)
def instructor_home(request):
    now = timezone.now()
    courses = (
        Course.objects.taught_by(request.user)
        .select_related("department")
        .prefetch_related("assignments")
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
        .with_assignment_count()
    )
    return render(request, "coursework/department_home.html", {"department": department, "courses": courses})


@login_required
def course_detail(request, pk):
    course = course_for_user(request.user, pk)
    now = timezone.now()
    enrollment = None
    if request.user.role == Role.STUDENT:
        enrollment = course.enrollments.filter(student=request.user).first()
    context = {
        "course": course,
        "schedule": _schedule(course, now),
        "enrollment": enrollment,
        "instructors": course.instructors.all(),
        "now": now,
    }
    return render(request, "coursework/course_detail.html", context)


@login_required
def assignment_detail(request, course_pk, pk):
    assignment = assignment_for_user(request.user, course_pk, pk)
    now = timezone.now()
    context = {
        "course": assignment.course,
        "assignment": assignment,
        "status": assignment.status(now),
        "now": now,
    }
    return render(request, "coursework/assignment_detail.html", context)
