"""A department's rubric is shared with the department but edited only by its author and the department admin: the
other instructors read it, see the rule and the tasks that use it, attach and copy it, and are refused the editor
and the band rules (403) with nothing changed."""

import html
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from coursework.models import Task
from grading.models import HolisticBand, Rubric
from grading.services.rubrics import essay_rubric_ensure, rubric_copy
from tests.conftest import make_user
from tests.grading.test_bands_views import posted
from tests.grading.test_rubrics_views import editor_post, rows_of, table

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    return essay_rubric_ensure()


@pytest.fixture
def own(cast, seed):
    """The course instructor's rubric of the department, graded with by the course's СОӨЖ 1."""
    rubric = rubric_copy(rubric=seed, department=cast.department, user=cast.instructor, title="Сәуленің рубрикасы")
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = rubric
    task.save(update_fields=["rubric"])
    return rubric


@pytest.fixture
def colleague(cast):
    """Another instructor of the same department, teaching none of the course."""
    return make_user("colleague", Role.INSTRUCTOR, cast.department, first_name="Гүлнар", last_name="Омарова")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response):
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


def edit_url(rubric):
    return reverse("grading:rubric_edit", args=[rubric.pk])


def bands_url(rubric):
    return reverse("grading:rubric_bands", args=[rubric.pk])


def snapshot(rubric):
    """Everything an edit or a band rule could change."""
    fresh = Rubric.objects.get(pk=rubric.pk)
    bands = list(
        HolisticBand.objects.filter(scale=fresh.holistic_scale_id).values_list(
            "position", "min_percent", "max_percent", "originality_min", "timeliness"
        )
    )
    return fresh.title, fresh.updated_at, fresh.holistic_scale_id, table(fresh), bands


# Who edits ------------------------------------------------------------------------------------------------------


def test_the_author_edits_their_rubric(login, cast, own):
    client = login(cast.instructor)
    assert client.get(bands_url(own)).status_code == 200
    assert client.get(edit_url(own)).status_code == 200
    response = client.post(edit_url(own), editor_post("Жаңа атауы", rows_of(own)))
    assert response.status_code == 302 and Rubric.objects.get(pk=own.pk).title == "Жаңа атауы"


def test_the_department_admin_edits_an_instructors_rubric_and_its_band_rules(login, cast, own):
    client = login(cast.dept_admin)
    assert client.post(bands_url(own), posted(own, {1: {"originality_min": "90"}})).status_code == 302
    assert own.holistic_scale.bands.get(position=1).originality_min == Decimal(90)
    assert client.get(edit_url(own)).status_code == 200
    assert client.post(edit_url(own), editor_post("Кафедра түзетті", rows_of(own))).status_code == 302
    assert Rubric.objects.get(pk=own.pk).title == "Кафедра түзетті"


def test_another_instructor_of_the_department_is_refused_the_editor_and_nothing_changes(login, cast, own, colleague):
    before = snapshot(own)
    client = english(login(colleague))

    assert client.get(edit_url(own)).status_code == 403
    refused = client.post(edit_url(own), editor_post("Менің атауым", rows_of(own)))

    assert refused.status_code == 403 and "Access denied" in text(refused)  # the portal's usual 403 page
    assert snapshot(own) == before


def test_another_instructor_of_the_department_is_refused_the_band_rules_and_nothing_changes(
    login, cast, own, colleague
):
    before = snapshot(own)
    client = login(colleague)

    assert client.get(bands_url(own)).status_code == 403
    assert client.post(bands_url(own), posted(own, {1: {"originality_min": "95"}})).status_code == 403
    assert snapshot(own) == before


def test_a_rubric_without_an_author_is_edited_by_the_department_admin_alone(login, cast, own, colleague):
    Rubric.objects.filter(pk=own.pk).update(created_by=None)
    assert login(cast.instructor).get(edit_url(own)).status_code == 403
    assert login(cast.dept_admin).get(edit_url(own)).status_code == 200
    assert "Edited only by the department admin." in text(english(login(colleague)).get(own_url(own)))


def test_an_author_who_left_for_another_department_no_longer_edits_it(login, cast, own):
    cast.instructor.department = cast.other_department
    cast.instructor.save(update_fields=["department"])
    assert login(cast.instructor).get(edit_url(own)).status_code == 404


# What the others see and may do ---------------------------------------------------------------------------------


def own_url(rubric):
    return reverse("grading:rubric_detail", args=[rubric.pk])


def test_the_rubric_page_states_the_rule_and_the_tasks_courses_and_instructors_using_it(login, cast, own, colleague):
    response = english(login(colleague)).get(own_url(own))
    said = text(response)
    assert response.status_code == 200
    assert "Shared with the department: its instructors may attach it to their tasks and copy it." in said
    assert "Edited only by its author, Жақыпова Сәуле, and the department admin." in said
    assert "To change it for your tasks, copy it and attach the copy." in said
    task = cast.tasks["СОӨЖ 1"]
    used = re.search(rf'<li data-used-by="{task.pk}">(.*?)</li>', response.content.decode(), re.S).group(1)
    assert task.label in used and cast.course.code in used and "instructors: Жақыпова Сәуле" in used
    page = response.content.decode()
    assert edit_url(own) not in page and bands_url(own) not in page  # no way in that would be refused
    assert reverse("grading:rubric_copy", args=[own.pk]) in page


def test_the_author_is_told_that_an_edit_reaches_every_task_using_it(login, cast, own):
    said = text(english(login(cast.instructor)).get(own_url(own)))
    assert "You may edit it: a change reaches every task below, until grades are given with it." in said
    assert edit_url(own) in english(login(cast.instructor)).get(own_url(own)).content.decode()


def test_a_rubric_no_task_uses_says_so(login, cast, seed, colleague):
    mine = rubric_copy(rubric=seed, department=cast.department, user=colleague, title="Гүлнардың рубрикасы")
    assert "No task uses it yet." in text(english(login(colleague)).get(own_url(mine)))


def test_a_shared_rubric_lists_only_the_readers_departments_tasks(login, cast, seed):
    cast.other_task.rubric = seed
    cast.other_task.save(update_fields=["rubric"])
    Task.objects.filter(pk=cast.tasks["СӨЖ 1"].pk).update(rubric=seed)
    page = login(cast.instructor).get(own_url(seed)).content.decode()
    assert f'data-used-by="{cast.tasks["СӨЖ 1"].pk}"' in page
    assert f'data-used-by="{cast.other_task.pk}"' not in page and cast.other_course.code not in page


def test_the_list_names_the_author_and_the_rule_and_offers_no_edit_to_the_others(login, cast, own, colleague):
    page = english(login(colleague)).get(reverse("grading:rubric_list")).content.decode()
    row = page.split(f'data-rubric="{own.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "author: Жақыпова Сәуле" in html.unescape(row) and "data-edit-rule" in row
    assert edit_url(own) not in row and reverse("grading:rubric_copy", args=[own.pk]) in row
    author_row = login(cast.instructor).get(reverse("grading:rubric_list")).content.decode()
    assert edit_url(own) in author_row


def test_another_instructor_copies_it_and_edits_the_copy(login, cast, own, colleague):
    client = login(colleague)
    response = client.post(reverse("grading:rubric_copy", args=[own.pk]))
    copy = Rubric.objects.get(created_by=colleague)
    assert response.url == edit_url(copy) and client.get(edit_url(copy)).status_code == 200
    assert table(copy) == table(own)


def test_band_rules_set_on_a_copy_leave_the_original_rubrics_rules_as_they_were(login, cast, own, colleague):
    copy = rubric_copy(rubric=own, department=cast.department, user=colleague)
    assert copy.holistic_scale_id == own.holistic_scale_id  # a copy in the same department starts on the same scale
    before = snapshot(own)

    response = login(colleague).post(bands_url(copy), posted(copy, {1: {"originality_min": "95"}}))

    assert response.status_code == 302 and snapshot(own) == before
    copy.refresh_from_db()
    assert copy.holistic_scale_id != own.holistic_scale_id
    assert copy.holistic_scale.bands.get(position=1).originality_min == Decimal(95)


def test_the_essay_rubric_is_still_found_after_a_department_copied_it_with_its_scale(cast):
    shared = essay_rubric_ensure()
    copy = rubric_copy(rubric=shared, department=cast.department, user=cast.instructor)
    assert copy.holistic_scale.title == shared.holistic_scale.title  # the department's own scale, of the same title
    assert copy.holistic_scale_id != shared.holistic_scale_id

    again = essay_rubric_ensure()

    assert again.pk == shared.pk and again.holistic_scale_id == shared.holistic_scale_id
