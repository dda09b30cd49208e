"""Workflows that write courses: the seed course, a department's course set-up, next term's copy, the reading list."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.i18n import spread_translations
from accounts.models import Department, Role
from coursework.access import reviews
from coursework.models import Course, Reference, Task
from coursework.signals import course_copied

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
    instructor added by hand are left alone, and a due-moment override is kept. The provenance
    (compiler, protocols) takes the document's values again; reading-list entries are matched by
    text and address, take the document's group and place again, the missing ones are added and
    entries added by hand are left alone, so the list is never doubled.
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
            **_seed_provenance(seed),
        },
    )
    course.full_clean()
    _seed_references_refresh(course, seed.get("references", []))
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
                # The length the document asks of the text handed in ("5–7 беттік реферат"), where it gives one.
                "pages_min": task.get("pages_min"),
                "pages_max": task.get("pages_max"),
                **spread_translations(task["title"], "title"),
                **spread_translations(task["description"], "description"),
                **spread_translations(task["portfolio"], "portfolio"),
            },
        )
    return course


def _seed_provenance(seed):
    """The course fields of the document's title page (none when the seed does not give them)."""
    data = seed.get("provenance")
    if not data:
        return {}
    department, faculty = data["department_protocol"], data["faculty_protocol"]
    return {
        "compiler": data["compiler"],
        "department_protocol_number": department["number"],
        "department_protocol_date": dt.date.fromisoformat(department["date"]),
        "faculty_protocol_number": faculty["number"],
        "faculty_protocol_date": dt.date.fromisoformat(faculty["date"]),
    }


def _seed_references_refresh(course, entries):
    existing = {(reference.text, reference.url): reference for reference in course.references.all()}
    new, matched = [], []
    for position, entry in enumerate(entries, start=1):
        reference = existing.pop((entry["text"], entry["url"]), None)
        if reference is None:
            new.append(Reference(course=course, position=position, **entry))
        else:
            reference.position, reference.group = position, entry["group"]
            matched.append(reference)
    Reference.objects.bulk_create(new)
    Reference.objects.bulk_update(matched, ["position", "group"])


# A department's course set-up -----------------------------------------------------------------

RUN_TAKEN = _("A course with this code already runs in that academic year and term.")
NOT_DEPARTMENT_INSTRUCTOR = _("Choose instructors of the course's own department.")
# What a copy takes from its source besides the run itself (code, academic year, term, start date).
COPIED_COURSE_FIELDS = (
    "department",
    "title",
    "title_ru",
    "title_en",
    "programme",
    "programme_ru",
    "programme_en",
    "expected_points",
    "reference_style",
    "compiler",
    "department_protocol_number",
    "department_protocol_date",
    "faculty_protocol_number",
    "faculty_protocol_date",
)
# A copied task takes every other field of its source, so a field added to tasks later travels too.
TASK_FIELDS_NOT_COPIED = {"id", "course", "is_hidden"}
SHIFTED_TASK_FIELDS = ("due_at_override", "cutoff_at")
PROVENANCE_FIELDS = (
    "compiler",
    "department_protocol_number",
    "department_protocol_date",
    "faculty_protocol_number",
    "faculty_protocol_date",
)


def course_run_check(*, code, academic_year, term, course=None):
    """Refuse a run that another course already is: a course runs once per code, academic year and term."""
    others = Course.objects.filter(code=code, academic_year=academic_year, term=term)
    if course is not None and course.pk:
        others = others.exclude(pk=course.pk)
    if others.exists():
        raise ValidationError({"code": RUN_TAKEN})


def _course_store(course, instructors):
    """Check and save a course and its instructors; a ValidationError says what is wrong, and nothing is saved."""
    course_run_check(code=course.code, academic_year=course.academic_year, term=course.term, course=course)
    if any(person.role != Role.INSTRUCTOR or person.department_id != course.department_id for person in instructors):
        raise ValidationError({"instructors": NOT_DEPARTMENT_INSTRUCTOR})
    course.full_clean()
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError as error:  # the same run saved by someone else a moment ago
        raise ValidationError({"code": RUN_TAKEN}) from error
    course.instructors.set(instructors)
    return course


@transaction.atomic
def course_create(*, department, instructors, **fields):
    """Open a new course run in a department, with its instructors.

    Rule: a run (code, academic year, term) exists once; the term starts on a Monday; the instructors
    are instructors of the same department.
    """
    return _course_store(Course(department=department, **fields), list(instructors))


@transaction.atomic
def course_update(*, course, instructors, **fields):
    """Change a course run's description, dates, provenance and instructors, under course_create's rules.

    The department does not change; tasks, students and work stay as they are.
    """
    for name, value in fields.items():
        setattr(course, name, value)
    return _course_store(course, list(instructors))


def _shifted(moment, shift):
    # Added on the local clock, so a fixed moment keeps its weekday and time of day in the new term.
    return None if moment is None else timezone.localtime(moment) + shift


@transaction.atomic
def course_copy(*, source, code, academic_year, term, start_date, copied_by):
    """Open a new run of a course from an earlier one, ready for next term.

    Rule: the copy takes the source's titles, programme, department, expected points, provenance,
    instructors (those still teaching in the department), its reading list, and every task that is not
    hidden with all its fields; a fixed due moment or cut-off moves by the difference between the two
    start dates, so it keeps its place in the term. Students, hand-ins, grades, extensions and slots stay
    with the source. Only an admin of the source's department copies it, into a run that is still free.
    Apps above coursework copy their own settings of the course on ``coursework.signals.course_copied`` (grading:
    the credit formula).
    """
    if not reviews(copied_by, source):
        raise PermissionDenied
    course = Course(
        copied_from=source,
        code=code,
        academic_year=academic_year,
        term=term,
        start_date=start_date,
        **{name: getattr(source, name) for name in COPIED_COURSE_FIELDS},
    )
    instructors = source.instructors.filter(role=Role.INSTRUCTOR, department_id=source.department_id)
    _course_store(course, list(instructors))
    shift = start_date - source.start_date
    copied = [field.attname for field in Task._meta.concrete_fields if field.name not in TASK_FIELDS_NOT_COPIED]
    tasks = []
    for task in source.tasks.shown():
        values = {name: getattr(task, name) for name in copied}
        values.update({name: _shifted(values[name], shift) for name in SHIFTED_TASK_FIELDS})
        tasks.append(Task(course=course, **values))
    Task.objects.bulk_create(tasks)
    Reference.objects.bulk_create(
        Reference(course=course, position=entry.position, group=entry.group, text=entry.text, url=entry.url)
        for entry in source.references.all()
    )
    course_copied.send(sender=Course, source=source, copy=course)
    return course


@transaction.atomic
def reading_list_save(*, course, provenance, references, removed):
    """Save a course's provenance and its reading list together, or nothing at all.

    Rule: ``provenance`` gives the course's compiler and protocol fields; ``references`` are the entries
    to keep (new or changed), each with its text or an http(s) address; ``removed`` are the course's
    entries to delete. Entries of other courses are never touched.
    """
    for name in PROVENANCE_FIELDS:
        setattr(course, name, provenance[name])
    course.full_clean()
    course.save(update_fields=PROVENANCE_FIELDS)
    Reference.objects.filter(course=course, pk__in=[entry.pk for entry in removed if entry.pk]).delete()
    for entry in references:
        if entry.pk and entry.course_id != course.pk:
            raise PermissionDenied
        entry.course = course
        entry.full_clean()
        entry.save()
    return course
