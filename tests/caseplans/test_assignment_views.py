"""The assignment page of a case plan task: who reaches it, handing cases out to everyone waiting, changing one
student's case by hand until they start, the counts, the group filter, and a fixed number of queries."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role
from caseplans.models import CaseAssignment, Vignette
from caseplans.services import plan_save, plan_submit
from coursework.models import Enrollment
from portfolio.models import WorkingCopy
from tests.caseplans.conftest import WORKING, plan_values
from tests.conftest import make_user


@pytest.fixture
def second_vignette(cast):
    return Vignette.objects.create(
        course=cast.course,
        title="Күләш: жалғыз тұратын қарт адам",
        language="kk",
        client_category="elderly",
        text="Күләш, 79 жаста, жалғыз тұрады.",
        created_by=cast.instructor,
    )


def page_url(task):
    return reverse("caseplans:assignments", args=[task.course_id, task.pk])


def hand_out_url(task):
    return reverse("caseplans:hand_out", args=[task.course_id, task.pk])


def assign_url(task):
    return reverse("caseplans:assign", args=[task.course_id, task.pk])


def row_of(page, student):
    return re.search(rf'<tr id="student-{student.pk}".*?</tr>', page, re.S).group(0)


def every_url(task, student, vignette):
    return [
        ("get", page_url(task), None),
        ("post", hand_out_url(task), {}),
        ("post", assign_url(task), {"student": student.pk, "vignette": vignette.pk}),
    ]


# Who may reach the page --------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast, case_task, vignette):
    for method, url, data in every_url(case_task, cast.student, vignette):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_students_are_refused(login, cast, case_task, vignette):
    client = login(cast.student)
    for method, url, data in every_url(case_task, cast.student, vignette):
        assert getattr(client, method)(url, data).status_code == 403, url
    assert not CaseAssignment.objects.exists()


def test_another_courses_instructor_finds_nothing(login, cast, case_task, vignette):
    client = login(cast.other_instructor)
    for method, url, data in every_url(case_task, cast.student, vignette):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not CaseAssignment.objects.exists()


def test_the_department_admin_reads_the_page_but_changes_nothing(login, cast, case_task, vignette, given_case):
    client = login(cast.dept_admin)
    response = client.get(page_url(case_task))
    assert response.status_code == 200
    page = response.content.decode()
    assert vignette.title in row_of(page, cast.student)
    assert hand_out_url(case_task) not in page and assign_url(case_task) not in page and "<select" not in page
    for method, url, data in every_url(case_task, cast.classmate, vignette)[1:]:
        assert getattr(client, method)(url, data).status_code == 403, url
    assert CaseAssignment.objects.count() == 1
    assert login(cast.other_dept_admin).get(page_url(case_task)).status_code == 404


def test_a_task_that_is_not_a_case_plan_has_no_assignment_page(login, cast, vignette):
    essay = cast.tasks["СОӨЖ 1"]
    client = login(cast.instructor)
    for method, url, data in every_url(essay, cast.student, vignette):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert not CaseAssignment.objects.exists()


# The page ------------------------------------------------------------------------------------------------------------


def test_every_enrolled_student_is_listed_with_their_group_case_and_start(
    login, cast, case_task, vignette, second_vignette, given_case
):
    WorkingCopy.objects.create(task=case_task, student=cast.student)
    page = login(cast.instructor).get(page_url(case_task)).content.decode()
    mine = row_of(page, cast.student)
    assert "СЖ-23-01" in mine and cast.student.display_name in mine and vignette.title in mine
    assert 'data-started="true"' in mine and "<select" not in mine
    assert 'class="small text-body-secondary locked"' in mine
    theirs = row_of(page, cast.classmate)
    assert "СЖ-23-02" in theirs and 'class="text-body-secondary no-case"' in theirs
    assert 'data-started="false"' in theirs and "<select" in theirs
    assert f'<option value="{second_vignette.pk}"' in theirs and f'<option value="{vignette.pk}"' in theirs
    assert cast.other_student.display_name not in page
    counts = dict(re.findall(r'data-vignette="(\d*)">.*?case-count[^>]*>(\d+)<', page, re.S))
    assert counts == {str(vignette.pk): "1", str(second_vignette.pk): "0", "": "1"}


def test_a_handed_in_plan_is_told_apart_from_one_only_started(login, cast, case_task, vignette, given_case):
    plan_save(task=case_task, student=cast.student, values=plan_values(), now=WORKING)
    plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    CaseAssignment.objects.create(task=case_task, student=cast.classmate, vignette=vignette)
    WorkingCopy.objects.create(task=case_task, student=cast.classmate)
    page = login(cast.instructor).get(page_url(case_task)).content.decode()
    mine, theirs = row_of(page, cast.student), row_of(page, cast.classmate)
    assert "handed-in" in mine and "<select" not in mine
    assert "handed-in" not in theirs and 'class="badge rounded-pill text-bg-info started"' in theirs
    assert "<select" not in theirs


def test_a_course_without_cases_says_where_to_write_them(login, cast, case_task):
    page = login(cast.instructor).get(page_url(case_task)).content.decode()
    assert "no-vignettes" in page and reverse("caseplans:vignettes", args=[cast.course.pk]) in page
    assert "<select" not in page


def test_the_group_filter_shows_one_group(login, cast, case_task, vignette):
    client = login(cast.instructor)
    page = client.get(page_url(case_task), {"group": "СЖ-23-02"}).content.decode()
    assert f'id="student-{cast.classmate.pk}"' in page and f'id="student-{cast.student.pk}"' not in page
    page = client.get(page_url(case_task), {"group": "no such group"}).content.decode()
    assert f'id="student-{cast.classmate.pk}"' in page and f'id="student-{cast.student.pk}"' in page


@pytest.mark.parametrize("extra", [2, 30])
def test_the_page_uses_a_fixed_number_of_queries(
    login, cast, case_task, vignette, second_vignette, django_assert_max_num_queries, extra
):
    for number in range(extra):
        student = make_user(f"extra{number}", Role.STUDENT, cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-03")
        if number % 2:
            CaseAssignment.objects.create(task=case_task, student=student, vignette=vignette)
        if number % 3 == 0:
            WorkingCopy.objects.create(task=case_task, student=student)
    client = login(cast.instructor)
    with django_assert_max_num_queries(10):
        page = client.get(page_url(case_task)).content.decode()
    assert page.count('class="case-row"') == extra + 2


# Handing out -------------------------------------------------------------------------------------------------------


def test_handing_out_gives_everyone_waiting_a_case(login, cast, case_task, vignette, second_vignette):
    response = login(cast.instructor).post(hand_out_url(case_task), follow=True)
    given = dict(CaseAssignment.objects.values_list("student__username", "vignette_id"))
    assert set(given) == {"student", "classmate"}
    assert set(given.values()) == {vignette.pk, second_vignette.pk}  # one each, balanced
    assert all(CaseAssignment.objects.values_list("is_automatic", flat=True))
    text = ngettext("%(count)d student was given a case.", "%(count)d students were given a case.", 2) % {"count": 2}
    assert text in response.content.decode()
    assert response.redirect_chain[-1][0] == page_url(case_task)


def test_handing_out_again_tells_that_nobody_was_waiting(login, cast, case_task, vignette, given_case):
    client = login(cast.instructor)
    client.post(hand_out_url(case_task))
    response = client.post(hand_out_url(case_task), follow=True)
    assert CaseAssignment.objects.count() == 2
    assert _("Every student has a case already: nobody was waiting.") in response.content.decode()


def test_handing_out_without_cases_says_to_write_one(login, cast, case_task):
    response = login(cast.instructor).post(hand_out_url(case_task), follow=True)
    assert not CaseAssignment.objects.exists()
    assert _("Write a case, or add the examples, before handing cases out.") in response.content.decode()


def test_handing_out_from_a_filtered_page_returns_to_it(login, cast, case_task, vignette):
    response = login(cast.instructor).post(hand_out_url(case_task), {"group": "СЖ-23-02"})
    assert response["Location"] == page_url(case_task) + "?group=%D0%A1%D0%96-23-02"


# Changing by hand --------------------------------------------------------------------------------------------------


def test_the_instructor_changes_a_students_case_by_hand(login, cast, case_task, given_case, second_vignette):
    response = login(cast.instructor).post(
        assign_url(case_task), {"student": cast.student.pk, "vignette": second_vignette.pk}, follow=True
    )
    given_case.refresh_from_db()
    assert given_case.vignette == second_vignette and not given_case.is_automatic
    page = response.content.decode()
    text = _("%(name)s now plans on “%(case)s”.") % {"name": cast.student.display_name, "case": second_vignette.title}
    assert text in page
    assert second_vignette.title in row_of(page, cast.student)
    assert response.redirect_chain[-1][0].endswith(f"#student-{cast.student.pk}")


def test_a_student_without_a_case_is_given_one_by_hand(login, cast, case_task, vignette):
    login(cast.instructor).post(assign_url(case_task), {"student": cast.classmate.pk, "vignette": vignette.pk})
    assert CaseAssignment.objects.get().student == cast.classmate


def test_a_started_students_case_is_not_changed(login, cast, case_task, given_case, vignette, second_vignette):
    WorkingCopy.objects.create(task=case_task, student=cast.student)
    response = login(cast.instructor).post(
        assign_url(case_task), {"student": cast.student.pk, "vignette": second_vignette.pk}, follow=True
    )
    given_case.refresh_from_db()
    assert given_case.vignette == vignette
    refusal = _("%(name)s has started the plan: the case can no longer be changed.") % {
        "name": cast.student.display_name
    }
    assert refusal in response.content.decode()


def test_a_student_or_a_case_from_elsewhere_is_refused_with_a_message(login, cast, case_task, vignette):
    foreign = Vignette.objects.create(
        course=cast.other_course, title="Бөгде кейс", language="kk", client_category="other", text="Мәтін"
    )
    client = login(cast.instructor)
    response = client.post(
        assign_url(case_task), {"student": cast.other_student.pk, "vignette": vignette.pk}, follow=True
    )
    assert _("This student is not enrolled in the course.") in response.content.decode()
    response = client.post(assign_url(case_task), {"student": cast.student.pk, "vignette": foreign.pk}, follow=True)
    assert _("Choose one of the course's cases.").replace("'", "&#x27;") in response.content.decode()
    response = client.post(assign_url(case_task), {"student": "", "vignette": "x"}, follow=True)
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert not CaseAssignment.objects.exists()
