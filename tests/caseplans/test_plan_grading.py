"""A handed-in case plan where staff read it: the grading page shows its rendering beside the rubric, the submission
page shows each version's rendering, and the ZIPs of the portfolio and of the queue carry its PDF."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseplans.documents import plan_file_name
from caseplans.models import CaseAssignment
from caseplans.services import plan_save, plan_submit
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import example_rubrics_ensure
from tests.caseplans.conftest import WORKING, plan_values
from tests.caseplans.test_plan_document import large_plan_values
from tests.grading.conftest import hand_in as hand_in_essay

pytestmark = pytest.mark.django_db

GOAL = "Клиент пен балалардың қауіпсіздігін қамтамасыз ету"
PHONE = "+7 727 300 00 00"


@pytest.fixture
def graded_task(case_task):
    """СОӨЖ 2-3 with the example case plan rubric, which ends with the defence."""
    letter_scale_ensure()
    case_task.rubric = example_rubrics_ensure()["case_plan"]
    case_task.save()
    return case_task


@pytest.fixture
def classmate_case(cast, graded_task, vignette):
    return CaseAssignment.objects.create(task=graded_task, student=cast.classmate, vignette=vignette)


def hand_in(task, student, values):
    plan_save(task=task, student=student, values=values, now=WORKING)
    return plan_submit(task=task, student=student, statement_accepted=True, now=WORKING)


@pytest.fixture
def handed_in(cast, graded_task, given_case, entry):
    return hand_in(graded_task, cast.student, plan_values(entry.pk))


def grade_url(version):
    return reverse("grading:grade", args=[version.submission_id])


def submission_url(version):
    return reverse("portfolio:submission_detail", args=[version.submission_id])


def zip_entries(response):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


def stored_pdf(version):
    with version.files.get().file.open("rb") as stream:
        return stream.read()


# Access first -------------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, handed_in):
    for url in (grade_url(handed_in), submission_url(handed_in)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin", "student", "classmate"])
def test_only_the_courses_instructor_reaches_the_grading_page(login, cast, handed_in, who):
    assert login(getattr(cast, who)).get(grade_url(handed_in)).status_code in {403, 404}


@pytest.mark.parametrize("who", ["other_instructor", "classmate", "other_student"])
def test_nobody_else_reads_the_plan_on_the_submission_page(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code in {403, 404}
    assert GOAL not in response.content.decode()


# The grading page ---------------------------------------------------------------------------------------------------


def test_the_grading_page_shows_the_plan_beside_the_rubric(login, cast, handed_in):
    response = login(cast.instructor).get(grade_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    plan_at, form_at = html.index('class="plan-document"'), html.index('id="grade-form"')
    assert plan_at < form_at  # the plan in the left column, the rubric in the right
    plan = html[plan_at:form_at]
    assert GOAL in plan
    assert "Дағдарыс орталығына орналасты, қорғау нұсқамасы алынды" in plan
    assert "31.10.2025" in plan
    assert "ХҚКО-да құжаттарды қалпына келтіру" in plan
    assert "«Ақ жүрек» қоры" in plan
    assert PHONE in plan
    assert "Заң клиникасы" in plan
    assert "Жұмысы жоқ, құжаттарының бір бөлігі күйеуінде қалды." in plan
    # The rubric, down to the defence, and the plan's PDF to open.
    assert "Қорғау" in html[form_at:]
    pdf_url = reverse("portfolio:file_download", args=[handed_in.files.get().pk])
    assert f'href="{pdf_url}?inline=1"' in html[:form_at]
    assert "css/plan_document.css" in html
    # The PDF is not shown a second time in a frame.
    assert "pdf-frame" not in html


def test_the_grading_page_of_an_essay_keeps_the_file_preview(login, cast, graded_task):
    essay = cast.tasks["СОӨЖ 1"]
    version = hand_in_essay(essay, cast.student)
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "plan-document" not in html
    assert "plan_document.css" not in html
    assert "text-preview" in html


def test_the_student_text_is_escaped_on_the_grading_page(login, cast, graded_task, given_case, entry):
    values = plan_values(entry.pk, **{"goals-0-text": "<script>alert(1)</script> баспана"})
    version = hand_in(graded_task, cast.student, values)
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; баспана" in html
    assert "<script>alert(1)</script>" not in html


def test_the_grading_page_costs_the_same_queries_for_a_large_plan(
    login, cast, graded_task, given_case, entry, classmate_case, django_assert_max_num_queries
):
    small = hand_in(graded_task, cast.student, plan_values(entry.pk))
    large = hand_in(graded_task, cast.classmate, large_plan_values(entry.pk))
    client = login(cast.instructor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(grade_url(small)).status_code == 200
    with django_assert_max_num_queries(len(queries)):
        response = client.get(grade_url(large))
    assert "Іс-шара-30 жоспар бойынша жүргізіледі" in response.content.decode()


# The submission page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_the_submission_page_shows_the_plan_to_the_student_and_the_instructor(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="plan-document"' in html
    assert GOAL in html
    assert PHONE in html
    assert plan_file_name(task=handed_in.submission.task, version=handed_in) in html


def test_each_version_shows_its_own_plan(login, cast, handed_in, graded_task, entry):
    second = hand_in(graded_task, cast.student, plan_values(entry.pk, closing="Клиенттің тұрақты табысы бар."))
    client = login(cast.student)
    latest = client.get(submission_url(second)).content.decode()
    assert "Клиенттің тұрақты табысы бар." in latest
    first_file = handed_in.files.get().pk
    first = client.get(submission_url(second), {"file": first_file}).content.decode()
    assert "Клиент қауіпсіз жерде тұрады, құжаттары бар, тұрақты табысы бар." in first
    assert "Клиенттің тұрақты табысы бар." not in first


# The ZIPs -----------------------------------------------------------------------------------------------------------


def test_the_students_portfolio_zip_holds_the_plan_pdf(login, cast, handed_in):
    response = login(cast.student).get(reverse("portfolio:student_portfolio_zip", args=[cast.course.pk]))
    assert response.status_code == 200
    entries = zip_entries(response)
    name = plan_file_name(task=handed_in.submission.task, version=handed_in)
    held = [path for path in entries if path.endswith(name)]
    assert len(held) == 1
    assert entries[held[0]] == stored_pdf(handed_in)
    assert entries[held[0]].startswith(b"%PDF")


def test_the_queues_zip_holds_the_plan_pdf(login, cast, handed_in, graded_task):
    response = login(cast.instructor).get(reverse("portfolio:queue_zip", args=[cast.course.pk, graded_task.pk]))
    assert response.status_code == 200
    entries = zip_entries(response)
    name = plan_file_name(task=graded_task, version=handed_in)
    held = [path for path in entries if path.endswith(name)]
    assert len(held) == 1
    assert cast.student.display_name in held[0]
    assert entries[held[0]] == stored_pdf(handed_in)
