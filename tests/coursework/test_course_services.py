"""The department admin's course set-up (coursework/services/courses.py): create, change, copy into a new term, and
the reading list saved with the document's provenance."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from coursework.models import Course, Extension, Reference, ReferenceGroup, Slot, SlotKind, Task, Term
from coursework.services.courses import (
    RUN_TAKEN,
    course_copy,
    course_create,
    course_update,
    reading_list_save,
)
from portfolio.models import Submission
from tests.conftest import make_user
from tests.portfolio.conftest import docx, hand_in

pytestmark = pytest.mark.django_db

NEXT_START = dt.date(2026, 8, 31)  # a Monday: 52 weeks after the seed course's 1 September 2025


def local(*args):
    return timezone.make_aware(dt.datetime(*args))


def new_course(cast, **changes):
    fields = {
        "code": "SW-201",
        "title": "Әлеуметтік жұмыс теориясы",
        "title_ru": "Теория социальной работы",
        "academic_year": "2025-2026",
        "term": Term.SPRING,
        "start_date": dt.date(2026, 1, 12),
        "expected_points": Decimal(60),
        **changes,
    }
    return course_create(department=cast.department, instructors=[cast.instructor], **fields)


def copy_of(cast, **changes):
    run = {"code": cast.course.code, "academic_year": "2026-2027", "term": Term.AUTUMN, "start_date": NEXT_START}
    return course_copy(source=cast.course, **{"copied_by": cast.dept_admin, **run, **changes})


# Create and change -------------------------------------------------------------------------------


def test_a_new_course_belongs_to_the_department_with_its_instructors(cast):
    course = new_course(cast)
    assert course.department == cast.department
    assert list(course.instructors.all()) == [cast.instructor]
    assert course.expected_points == Decimal(60)
    assert course.tasks.count() == 0


def test_a_course_runs_once_per_code_year_and_term(cast):
    with pytest.raises(ValidationError) as caught:
        new_course(
            cast, code=cast.course.code, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
        )
    assert caught.value.message_dict == {"code": [str(RUN_TAKEN)]}
    assert Course.objects.filter(code=cast.course.code).count() == 1


def test_the_same_code_may_run_again_in_another_term(cast):
    course = new_course(cast, code=cast.course.code)
    assert course.pk != cast.course.pk


def test_a_term_that_does_not_start_on_a_monday_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        new_course(cast, start_date=dt.date(2026, 1, 13))
    assert "start_date" in caught.value.message_dict
    assert not Course.objects.filter(code="SW-201").exists()


def test_instructors_of_another_department_or_students_cannot_be_assigned(cast):
    for stranger in (cast.other_instructor, cast.student):
        with pytest.raises(ValidationError) as caught:
            course_create(
                department=cast.department,
                instructors=[stranger],
                code="SW-202",
                title="Курс",
                academic_year="2025-2026",
                term=Term.SPRING,
                start_date=dt.date(2026, 1, 12),
            )
        assert "instructors" in caught.value.message_dict
    assert not Course.objects.filter(code="SW-202").exists()


def test_a_change_keeps_the_department_and_replaces_the_instructors(cast):
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department, last_name="Қасымова")
    course_update(course=cast.course, instructors=[colleague], title_en="Case management", compiler="Мамытканов Д.К.")
    cast.course.refresh_from_db()
    assert cast.course.title_en == "Case management"
    assert list(cast.course.instructors.all()) == [colleague]
    assert cast.course.department == cast.department
    assert cast.course.tasks.count() == 6


def test_a_change_into_a_taken_run_is_refused(cast):
    other = new_course(cast)
    with pytest.raises(ValidationError) as caught:
        course_update(course=other, instructors=[], code=cast.course.code, term=Term.AUTUMN)
    assert caught.value.message_dict == {"code": [str(RUN_TAKEN)]}


# Copy into a new term ---------------------------------------------------------------------------


def test_a_copy_takes_the_description_provenance_and_instructors(cast):
    copy = copy_of(cast)
    assert copy.copied_from == cast.course
    assert (copy.code, copy.academic_year, copy.term, copy.start_date) == (
        cast.course.code,
        "2026-2027",
        Term.AUTUMN,
        NEXT_START,
    )
    for name in ("department_id", "title", "title_ru", "title_en", "programme", "programme_ru", "compiler"):
        assert getattr(copy, name) == getattr(cast.course, name), name
    assert copy.department_protocol_number == "11"
    assert copy.faculty_protocol_date == dt.date(2025, 6, 26)
    assert list(copy.instructors.all()) == [cast.instructor]


def test_copied_tasks_keep_every_field_and_fall_due_in_the_new_term(cast):
    copy = copy_of(cast)
    tasks = {task.label: task for task in copy.tasks.all()}
    assert list(tasks) == list(cast.tasks)
    for label, source in cast.tasks.items():
        task = tasks[label]
        for name in ("kind", "deliverable", "title", "title_ru", "description", "portfolio", "due_week", "max_points"):
            assert getattr(task, name) == getattr(source, name), (label, name)
        assert task.position == source.position
    # СӨЖ 1 is due at the end of week 5 of the new term: Sunday 4 October 2026, 23:59 in Almaty.
    assert tasks["СӨЖ 1"].due_at == local(2026, 10, 4, 23, 59)
    assert not tasks["СӨЖ 1"].is_due_overridden


def test_a_fixed_due_moment_and_cut_off_move_with_the_start(cast):
    essay = cast.tasks["СОӨЖ 1"]
    essay.due_at_override = local(2025, 9, 24, 18, 0)  # Wednesday of week 4
    essay.cutoff_at = local(2025, 9, 28, 23, 59)
    essay.rating_period = 2
    essay.save()
    task = copy_of(cast).tasks.get(label="СОӨЖ 1")
    assert timezone.localtime(task.due_at_override) == local(2026, 9, 23, 18, 0)  # Wednesday of week 4 again
    assert timezone.localtime(task.cutoff_at) == local(2026, 9, 27, 23, 59)
    assert task.rating_period == 2


def test_hidden_tasks_students_work_extensions_and_slots_stay_behind(cast):
    hidden = cast.tasks["СОӨЖ 4-5"]
    hidden.is_hidden = True
    hidden.save()
    repository = cast.tasks["СӨЖ 1"]
    hand_in(cast.tasks["СОӨЖ 1"], cast.student, docx(), moment=local(2025, 9, 15, 12, 0))
    Extension.objects.create(task=repository, student=cast.student, due_at=local(2025, 10, 10, 23, 59))
    Slot.objects.create(
        task=repository,
        kind=SlotKind.CONSULTATION,
        starts_at=local(2025, 9, 30, 10, 0),
        ends_at=local(2025, 9, 30, 11, 0),
        place="204",
        booking_closes_at=local(2025, 9, 29, 18, 0),
    )
    copy = copy_of(cast)
    assert "СОӨЖ 4-5" not in set(copy.tasks.values_list("label", flat=True))
    assert copy.tasks.count() == 5
    assert not copy.enrollments.exists()
    assert not Submission.objects.filter(task__course=copy).exists()
    assert not Extension.objects.filter(task__course=copy).exists()
    assert not Slot.objects.filter(task__course=copy).exists()
    assert cast.course.tasks.count() == 6 and cast.course.enrollments.count() == 2


def test_the_reading_list_is_copied_in_its_order(cast):
    copy = copy_of(cast)
    copied = list(copy.references.values_list("position", "group", "text", "url"))
    assert copied == list(cast.course.references.values_list("position", "group", "text", "url"))
    assert len(copied) == 17


def test_copying_into_an_existing_run_is_refused_and_writes_nothing(cast):
    courses, tasks = Course.objects.count(), Task.objects.count()
    with pytest.raises(ValidationError) as caught:
        copy_of(cast, academic_year="2025-2026")  # the source's own run
    assert caught.value.message_dict == {"code": [str(RUN_TAKEN)]}
    assert (Course.objects.count(), Task.objects.count()) == (courses, tasks)


def test_a_copy_must_start_on_a_monday(cast):
    with pytest.raises(ValidationError) as caught:
        copy_of(cast, start_date=dt.date(2026, 9, 1))
    assert "start_date" in caught.value.message_dict
    assert not Course.objects.filter(academic_year="2026-2027").exists()


@pytest.mark.parametrize("who", ["instructor", "other_dept_admin"])
def test_only_the_departments_admin_copies_a_course(cast, who):
    with pytest.raises(PermissionDenied):
        copy_of(cast, copied_by=getattr(cast, who))


# The reading list -------------------------------------------------------------------------------


def test_the_reading_list_is_saved_with_the_provenance(cast):
    course = cast.course
    first, second = course.references.order_by("position")[:2]
    first.text = "Әбдікерова Г.О. Денсаулық сақтау жүйесіндегі әлеуметтік жұмыс. - Алматы, 2019."
    added = Reference(group=ReferenceGroup.INTERNET, position=18, url="https://www.unicef.org/kazakhstan")
    provenance = {
        "compiler": "Мамытканов Д.К., Жақыпова С.А.",
        "department_protocol_number": "3",
        "department_protocol_date": dt.date(2026, 6, 10),
        "faculty_protocol_number": "12",
        "faculty_protocol_date": dt.date(2025, 6, 26),
    }
    reading_list_save(course=course, provenance=provenance, references=[first, added], removed=[second])
    course.refresh_from_db()
    assert course.compiler == "Мамытканов Д.К., Жақыпова С.А."
    assert course.department_protocol_number == "3"
    assert course.references.count() == 17
    assert course.references.get(pk=first.pk).text.endswith("Алматы, 2019.")
    assert not course.references.filter(pk=second.pk).exists()
    assert course.references.filter(url="https://www.unicef.org/kazakhstan", group=ReferenceGroup.INTERNET).exists()


def test_a_bad_entry_leaves_the_whole_list_and_the_provenance_as_they_were(cast):
    course = cast.course
    before = list(course.references.values_list("pk", "text", "url"))
    first = course.references.order_by("position").first()
    first.text = "Өзгертілген"
    bad = Reference(group=ReferenceGroup.INTERNET, position=18, url="ftp://files.example.kz/list")
    provenance = {
        "compiler": "Басқа",
        "department_protocol_number": "",
        "department_protocol_date": None,
        "faculty_protocol_number": "",
        "faculty_protocol_date": None,
    }
    with pytest.raises(ValidationError):
        reading_list_save(course=course, provenance=provenance, references=[first, bad], removed=[])
    course.refresh_from_db()
    assert course.compiler == "Мамытканов Д.К."
    assert list(course.references.values_list("pk", "text", "url")) == before


def test_an_entry_of_another_course_is_never_touched(cast):
    foreign = Reference.objects.create(course=cast.other_course, position=1, text="Жалпы психология")
    foreign.text = "Ауыстырылған"
    provenance = {name: getattr(cast.course, name) for name in ("compiler",)} | {
        "department_protocol_number": "11",
        "department_protocol_date": dt.date(2025, 6, 16),
        "faculty_protocol_number": "12",
        "faculty_protocol_date": dt.date(2025, 6, 26),
    }
    with pytest.raises(PermissionDenied):
        reading_list_save(course=cast.course, provenance=provenance, references=[foreign], removed=[foreign])
    foreign.refresh_from_db()
    assert foreign.text == "Жалпы психология"
