"""Workflows that write courses and their schedules."""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from accounts.i18n import spread_translations
from accounts.models import Department
from coursework.models import Course, Task

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEED_PATH = FIXTURES / "case_management.json"


def seed_read(path=SEED_PATH):
    """A seed document from fixtures/ (the course by default)."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def department_ensure(*, seed):
    """Return the seed's department, creating it (with its translations) if it does not exist yet."""
    data = seed["department"]
    department, _ = Department.objects.update_or_create(
        university=data["university"]["kk"],
        name=data["name"]["kk"],
        defaults={
            **spread_translations(data["name"], "name"),
            **spread_translations(data["faculty"], "faculty"),
            **spread_translations(data["university"], "university"),
        },
    )
    return department


@transaction.atomic
def course_create_from_seed(*, seed, department, academic_year, term, start_date):
    """Create or refresh one run of a course from its document, with every task of its schedule.

    Rule: a run is identified by code, academic year and term, so calling this twice gives the
    same course; tasks are matched by label and take the document's values again. Tasks an
    instructor added by hand are left alone, and a due-moment override is kept.
    """
    data = seed["course"]
    course, _ = Course.objects.update_or_create(
        code=data["code"],
        academic_year=academic_year,
        term=term,
        defaults={
            "department": department,
            "start_date": start_date,
            **spread_translations(data["title"], "title"),
            **spread_translations(data["programme"], "programme"),
        },
    )
    course.full_clean()
    for position, task in enumerate(seed["tasks"], start=1):
        max_points = task["max_points"]
        Task.objects.update_or_create(
            course=course,
            label=task["label"],
            defaults={
                "position": position,
                "kind": task["kind"],
                "deliverable": task["deliverable"],
                "due_week": task["due_week"],
                "max_points": Decimal(max_points) if max_points is not None else None,
                **spread_translations(task["title"], "title"),
                **spread_translations(task["description"], "description"),
                **spread_translations(task["portfolio"], "portfolio"),
            },
        )
    return course
