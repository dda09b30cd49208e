from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from accounts.models import Role

HOME_BY_ROLE = {
    Role.STUDENT: "grading:student_home",
    Role.INSTRUCTOR: "grading:instructor_home",
    Role.DEPARTMENT_ADMIN: "grading:department_home",
}


@login_required
def home(request):
    """Send each person to their role's home page; a superuser without a role's home goes to the admin."""
    user = request.user
    if user.is_superuser and not user.department_id:
        return redirect("admin:index")
    return redirect(HOME_BY_ROLE[user.role])
