"""The demo's institution reports: a few students have chosen the institution of their СОӨЖ 4-5 report."""

from accounts.models import User
from directory.models import Entry, InstitutionReport
from directory.services import institution_choose

# Student → the start of the directory entry's name they chose.
CHOICES = {"student2": "«Жан»", "student3": "Халыққа қызмет", "student14": "«Ақ жүрек»"}


def demo_institution_reports(*, course, now):
    """Let the students in CHOICES choose their institution from the department's directory.

    Rule: a student who has chosen already keeps the choice, so running the demo again changes nothing.
    """
    task = course.tasks.filter(label="СОӨЖ 4-5").first()
    if task is None:
        return
    chosen = set(InstitutionReport.objects.filter(task=task).values_list("student__username", flat=True))
    students = {user.username: user for user in User.objects.filter(username__in=CHOICES)}
    for username, name in CHOICES.items():
        entry = Entry.objects.filter(department_id=course.department_id, name__startswith=name).first()
        if username in chosen or username not in students or entry is None:
            continue
        institution_choose(task=task, student=students[username], entry=entry, now=now)
