"""The department admin's home: every course of the department with its hand-in and grading completion (hidden
tasks left out, see ``with_completion``)."""

from django.shortcuts import render

from accounts.access import role_required
from accounts.models import Role
from coursework.models import Course
from grading.selectors.progress import with_completion


@role_required(Role.DEPARTMENT_ADMIN)
def department_home(request):
    courses = with_completion(
        Course.objects.visible_to(request.user).prefetch_related("instructors").with_enrollment_count()
    )
    return render(request, "grading/department_home.html", {"department": request.user.department, "courses": courses})
