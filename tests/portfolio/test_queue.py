"""The queue's order and filters."""

import datetime as dt

import pytest

from accounts.i18n import kazakh_sort_key
from coursework.models import Enrollment
from grading.selectors.queue import queue_rows
from portfolio import services
from portfolio.selectors import sort_queue
from tests.conftest import make_user
from tests.portfolio.conftest import at, docx

pytestmark = pytest.mark.django_db


def test_kazakh_letters_sort_in_the_kazakh_alphabet():
    names = ["Шәкенов", "Өтепова", "Ғабитов", "Әбілқасымова", "Абенова", "Қасымов", "Кенжебаева", "Бекмұратов"]
    assert sorted(names, key=kazakh_sort_key) == [
        "Абенова",
        "Әбілқасымова",
        "Бекмұратов",
        "Ғабитов",
        "Кенжебаева",
        "Қасымов",
        "Өтепова",
        "Шәкенов",
    ]


def names(rows):
    return [row.student.last_name for row in rows]


@pytest.fixture
def queue_class(cast, essay):
    for last_name in ("Өтепова", "Ғабитов", "Абенова"):
        student = make_user(last_name, "student", cast.department, last_name=last_name)
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
    moments = {"student": at(dt.date(2025, 9, 19)), "Ғабитов": at(dt.date(2025, 9, 20))}
    for enrollment in Enrollment.objects.filter(course=cast.course).select_related("student"):
        moment = moments.get(enrollment.student.username)
        if moment:
            services.draft_add_files(task=essay, student=enrollment.student, uploads=[docx()], now=moment)
            services.draft_submit(task=essay, student=enrollment.student, statement_accepted=True, now=moment)
    return essay


def test_the_queue_is_in_kazakh_alphabetical_order_by_default(queue_class):
    rows = sort_queue(queue_rows(task=queue_class), "name")
    assert names(rows) == ["Абенова", "Әбілқасымова", "Бекмұратов", "Ғабитов", "Өтепова"]
    assert names(sort_queue(queue_rows(task=queue_class), "-name")) == list(reversed(names(rows)))


def test_sorting_by_submission_moment_puts_those_who_did_not_hand_in_last(queue_class):
    newest_first = names(sort_queue(queue_rows(task=queue_class), "-submitted"))
    oldest_first = names(sort_queue(queue_rows(task=queue_class), "submitted"))
    assert newest_first[:2] == ["Ғабитов", "Әбілқасымова"]
    assert oldest_first[:2] == ["Әбілқасымова", "Ғабитов"]
    assert set(newest_first[2:]) == set(oldest_first[2:]) == {"Абенова", "Бекмұратов", "Өтепова"}


def test_the_missing_filter_lists_exactly_who_has_not_handed_in(queue_class):
    rows = sort_queue(queue_rows(task=queue_class, status="missing"), "name")
    assert names(rows) == ["Абенова", "Бекмұратов", "Өтепова"]
