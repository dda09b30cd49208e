"""The task page of a case plan task: the student reads their own case there, staff find the cases pages."""

from django.urls import reverse

from tests.caseplans.conftest import VIGNETTE_TEXT


def task_page(client, task):
    return client.get(reverse("grading:task_detail", args=[task.course_id, task.pk])).content.decode()


def test_the_student_reads_their_case_on_the_task_page(login, cast, case_task, given_case):
    html = task_page(login(cast.student), case_task)
    assert given_case.vignette.title in html
    assert VIGNETTE_TEXT.split(";")[0] in html
    assert reverse("caseplans:plan_edit", args=[case_task.course_id, case_task.pk]) in html


def test_a_classmate_without_a_case_is_told_so_and_never_sees_anothers(login, cast, case_task, given_case):
    html = task_page(login(cast.classmate), case_task)
    assert "Сізге әлі кейс берілмеген: кейстерді оқытушы таратады" in html
    assert given_case.vignette.title not in html and VIGNETTE_TEXT[:40] not in html


def test_the_instructor_and_the_department_admin_find_the_cases_pages(login, cast, case_task):
    assignments = reverse("caseplans:assignments", args=[case_task.course_id, case_task.pk])
    advice = "порталдың үлгілерін қосыңыз"
    instructor_page = task_page(login(cast.instructor), case_task)
    assert assignments in instructor_page and advice in instructor_page
    admin_page = task_page(login(cast.dept_admin), case_task)
    assert assignments in admin_page and advice not in admin_page  # the admin reads; the instructor hands out
    assert reverse("caseplans:vignettes", args=[case_task.course_id]) in admin_page
