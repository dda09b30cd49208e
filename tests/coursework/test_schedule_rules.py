"""Due moments follow from the start date and the week, in Asia/Almaty; the database guards the schedule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coursework.models import Course, Status, Task


def local(moment):
    return timezone.localtime(moment, timezone.get_default_timezone())


def test_a_task_is_due_at_the_end_of_its_week_in_almaty(cast):
    due = local(cast.tasks["СОӨЖ 1"].due_at)  # week 3 of a term starting Monday 1 September 2025
    assert (due.date(), due.hour, due.minute) == (dt.date(2025, 9, 21), 23, 59)
    assert due.date().isoweekday() == 7
    assert str(due.tzinfo) == "Asia/Almaty"


def test_week_fourteen_ends_on_the_seventh_of_december(cast):
    assert local(cast.tasks["СӨЖ 3"].due_at).date() == dt.date(2025, 12, 7)


def test_an_instructors_override_replaces_the_derived_moment(cast):
    task = cast.tasks["СӨЖ 1"]
    override = timezone.make_aware(dt.datetime(2025, 10, 8, 18, 0))
    task.due_at_override = override
    task.save()
    task.refresh_from_db()
    assert task.due_at == override
    assert task.is_due_overridden
    assert local(task.default_due_at).date() == dt.date(2025, 10, 5)


def test_moving_the_start_date_moves_every_derived_due_date(cast):
    course = cast.course
    course.start_date = dt.date(2025, 9, 8)
    course.save()
    task = Task.objects.select_related("course").get(pk=cast.tasks["СОӨЖ 1"].pk)
    assert local(task.due_at).date() == dt.date(2025, 9, 28)


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (dt.datetime(2025, 9, 1, 9, 0), Status.UPCOMING),
        (dt.datetime(2025, 9, 15, 9, 0), Status.DUE_SOON),
        (dt.datetime(2025, 9, 21, 23, 59), Status.DUE_SOON),
        (dt.datetime(2025, 9, 22, 0, 0), Status.PAST_DUE),
    ],
)
def test_status_follows_the_clock(cast, now, status):
    assert cast.tasks["СОӨЖ 1"].status(timezone.make_aware(now)) == status


def test_a_label_is_unique_within_a_course(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(
            course=cast.course, label="СӨЖ 1", kind="sozh", deliverable="essay", title="x", description="x", due_week=2
        )


def test_the_same_label_may_exist_in_another_course(cast):
    assert cast.other_task.label == "СӨЖ 1"


def test_the_database_refuses_week_zero(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=cast.tasks["СӨЖ 1"].pk).update(due_week=0)


def test_the_database_refuses_negative_points(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.filter(pk=cast.tasks["СӨЖ 1"].pk).update(max_points=Decimal("-1"))


def test_a_term_must_start_on_a_monday(cast):
    course = Course(
        department=cast.department,
        code="X",
        title="X",
        academic_year="2025-2026",
        term="autumn",
        start_date=dt.date(2025, 9, 3),
    )
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "start_date" in error.value.message_dict


def test_the_academic_year_must_be_two_consecutive_years(cast):
    course = Course(
        department=cast.department,
        code="X",
        title="X",
        academic_year="2025-2027",
        term="autumn",
        start_date=dt.date(2025, 9, 1),
    )
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "academic_year" in error.value.message_dict


@pytest.mark.parametrize("year", ["ab-cd", "2025-2026-2027", "2025"])
def test_a_malformed_academic_year_is_a_message_on_the_field(cast, year):
    course = Course(
        department=cast.department,
        code="X",
        title="X",
        academic_year=year,
        term="autumn",
        start_date=dt.date(2025, 9, 1),
    )
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "academic_year" in error.value.message_dict
