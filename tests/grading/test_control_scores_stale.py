"""The РК / exam entry page refuses a stale save per row: each row carries the scores it was opened with; a row
someone else changed since is not saved and comes back with their scores, the other rows are saved."""

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from grading.models import ControlKind, ControlScore, LockedChange
from grading.services.gradebook import control_scores_save, gradebook_lock
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input\b[^>]*>")


@pytest.fixture
def colleague(cast):
    """A second instructor of the same course."""
    user = make_user("colleague", Role.INSTRUCTOR, cast.department, first_name="Гүлнар", last_name="Омарова")
    cast.course.instructors.add(user)
    return user


def url(cast):
    return reverse("grading:control_scores", args=[cast.course.pk])


def opened(user, cast, language="en"):
    """A signed-in client of its own and the page's form as it was opened: {field name: value}."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url(cast)).content.decode()
    fields = {}
    for tag in INPUT.findall(page.split('class="card control-scores"', 1)[1]):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and name.group(1) != "csrfmiddlewaretoken":
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return client, fields


def stored(cast, student):
    return {score.kind: score.score for score in ControlScore.objects.filter(course=cast.course, student=student)}


def text(page):
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def test_the_second_save_of_the_same_row_is_refused_with_the_first_ones_value_and_other_rows_are_saved(cast, colleague):
    first, first_form = opened(cast.instructor, cast)
    second, second_form = opened(colleague, cast)
    first_form[f"rk1-{cast.student.pk}"] = "70"
    assert first.post(url(cast), first_form).status_code == 302
    second_form[f"rk1-{cast.student.pk}"] = "85"
    second_form[f"rk1-{cast.classmate.pk}"] = "60"

    response = second.post(url(cast), second_form)

    assert response.status_code == 200
    assert stored(cast, cast.student) == {"rk1": Decimal(70)}  # the first one's value stands
    assert stored(cast, cast.classmate) == {"rk1": Decimal(60)}  # the row nobody else touched is saved
    page = response.content.decode()
    said = text(page)
    assert "1 student's scores were changed after you opened this page" in said
    assert "Scores saved: 1 changed." in said
    assert "Жақыпова Сәуле saved this row at" in said and "Not saved: MT1 85" in said
    row = page.split(f'data-student="{cast.student.username}"', 1)[1].split("</tr>", 1)[0]
    assert "control-conflict" in row and "data-conflict" in row
    assert f'name="rk1-{cast.student.pk}" value="70"' in row  # the other person's value is in the cell
    classmate_row = page.split(f'data-student="{cast.classmate.username}"', 1)[1].split("</tr>", 1)[0]
    assert "data-conflict" not in classmate_row


def test_rows_left_as_they_were_opened_never_conflict_nor_undo_a_newer_save(cast, colleague):
    first, first_form = opened(cast.instructor, cast)
    second, second_form = opened(colleague, cast)
    second_form[f"rk1-{cast.student.pk}"] = "85"
    assert second.post(url(cast), second_form).status_code == 302
    first_form[f"exam-{cast.classmate.pk}"] = "90"

    response = first.post(url(cast), first_form)

    assert response.status_code == 302
    assert stored(cast, cast.student) == {"rk1": Decimal(85)}  # not put back to the empty cell the first one saw
    assert stored(cast, cast.classmate) == {"exam": Decimal(90)}


def test_saving_a_page_unchanged_writes_nothing_and_conflicts_with_nothing(cast, colleague):
    control_scores_save(course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): 70})
    client, form = opened(colleague, cast, language="kk")
    assert form[f"rk1-{cast.student.pk}"] == "70" and form[f"shown-{cast.student.pk}"] == "70;;"
    before = ControlScore.objects.get(student=cast.student).updated_at

    response = client.post(url(cast), form, follow=True)

    assert response.redirect_chain and ControlScore.objects.get(student=cast.student).updated_at == before
    assert ControlScore.objects.get(student=cast.student).entered_by == cast.instructor


def test_a_stale_row_is_not_half_stored(cast, colleague):
    first, first_form = opened(cast.instructor, cast)
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK2): 40})
    first_form[f"rk1-{cast.student.pk}"] = "70"
    first_form[f"exam-{cast.student.pk}"] = "80"

    response = first.post(url(cast), first_form)

    assert response.status_code == 200
    assert stored(cast, cast.student) == {"rk2": Decimal(40)}
    said = text(response.content.decode())
    assert "Омарова Гүлнар saved this row at" in said and "Not saved: MT1 70; Exam 80" in said


def test_a_row_the_other_person_emptied_is_a_conflict_too(cast, colleague):
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): 50})
    first, first_form = opened(cast.instructor, cast)
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): None})
    first_form[f"rk1-{cast.student.pk}"] = "55"

    response = first.post(url(cast), first_form)

    assert response.status_code == 200 and stored(cast, cast.student) == {}
    assert "This row was changed after you opened the page." in text(response.content.decode())


def test_typing_what_the_other_person_saved_is_no_conflict(cast, colleague):
    first, first_form = opened(cast.instructor, cast)
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): Decimal(70)})
    first_form[f"rk1-{cast.student.pk}"] = "70,0"

    assert first.post(url(cast), first_form).status_code == 302
    assert stored(cast, cast.student) == {"rk1": Decimal(70)}


def test_after_a_conflict_the_page_carries_the_new_values_so_saving_again_stands(cast, colleague):
    first, first_form = opened(cast.instructor, cast)
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): Decimal(70)})
    first_form[f"rk1-{cast.student.pk}"] = "75"
    page = first.post(url(cast), first_form).content.decode()
    assert f'name="shown-{cast.student.pk}" value="70;;"' in page

    again = {**first_form, f"shown-{cast.student.pk}": "70;;", f"rk1-{cast.student.pk}": "75"}

    assert first.post(url(cast), again).status_code == 302
    assert stored(cast, cast.student) == {"rk1": Decimal(75)}


def test_while_locked_a_reason_is_asked_for_the_rows_saved_and_the_stale_row_stays_theirs(cast, colleague):
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    first, first_form = opened(cast.instructor, cast)
    control_scores_save(
        course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): 70}, reason="Қайта тапсырды"
    )
    first_form[f"rk1-{cast.student.pk}"] = "75"
    first_form[f"rk1-{cast.classmate.pk}"] = "65"

    refused = first.post(url(cast), first_form)

    assert refused.status_code == 200 and stored(cast, cast.classmate) == {}
    assert f'name="rk1-{cast.classmate.pk}" value="65"' in refused.content.decode()  # what was typed stays
    assert "State the reason for this change." in text(refused.content.decode())

    response = first.post(url(cast), {**first_form, "reason": "Қате түзетілді"})

    assert response.status_code == 200
    assert stored(cast, cast.classmate) == {"rk1": Decimal(65)} and stored(cast, cast.student) == {"rk1": Decimal(70)}
    change = LockedChange.objects.filter(changed_by=cast.instructor).get()
    assert change.details == {"count": 1} and change.reason == "Қате түзетілді"


def test_a_stale_row_alone_needs_no_reason_under_a_lock_as_nothing_is_written(cast, colleague):
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    first, first_form = opened(cast.instructor, cast)
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): 70}, reason="Р")
    first_form[f"rk1-{cast.student.pk}"] = "75"

    response = first.post(url(cast), first_form)

    assert response.status_code == 200 and stored(cast, cast.student) == {"rk1": Decimal(70)}
    assert not LockedChange.objects.filter(changed_by=cast.instructor).exists()


@pytest.mark.parametrize("shown", ["70", "70;;;", "abc;;", "NaN;;", "120;;", "x" * 200])
def test_a_row_token_that_is_not_the_pages_is_refused_and_nothing_is_saved(cast, shown):
    client, form = opened(cast.instructor, cast)
    form[f"shown-{cast.student.pk}"] = shown
    form[f"rk1-{cast.classmate.pk}"] = "60"

    response = client.post(url(cast), form)

    assert response.status_code == 200 and not ControlScore.objects.exists()
    assert "This page was changed on its way to the server." in text(response.content.decode())
    # No cell is marked, so the page does not send the person looking for one.
    assert "Check the marked cells" not in text(response.content.decode())
    assert "Nothing was saved: see the message on the page." in text(response.content.decode())


def test_the_service_without_the_shown_rows_writes_every_score_given(cast, colleague):
    control_scores_save(course=cast.course, by=colleague, scores={(cast.student.pk, ControlKind.RK1): 70})
    saved = control_scores_save(
        course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): Decimal(75)}
    )
    assert saved.count == 1 and not saved.conflicts
    assert stored(cast, cast.student) == {"rk1": Decimal(75)}


def test_a_reason_past_its_limit_is_marked_by_its_box_and_kept_with_the_scores_typed(cast):
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    client, form = opened(cast.instructor, cast)
    form[f"rk1-{cast.classmate.pk}"] = "65"

    response = client.post(url(cast), {**form, "reason": "ә" * 1001})

    page = response.content.decode()
    assert response.status_code == 200 and stored(cast, cast.classmate) == {}
    assert "Nothing was saved: see the message on the page." in text(page)
    assert "Check the marked cells" not in text(page)
    assert 'id="id_reason" maxlength="1000">' + "ә" * 1001 + "</textarea>" in page
    assert "1000" in text(page.split('id="id_reason"', 1)[1])  # the limit, said by the box
