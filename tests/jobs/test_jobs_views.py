"""Asking for a long file (jobs/views.py) with no queue configured, as `make run` and these tests run: the job is made
in the request, and its page answers at once with the link. Who may ask, who may see the job and fetch its file,
and what the files hold."""

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import Role
from coursework.models import Course
from jobs.models import Job
from tests.conftest import make_user
from tests.grading.conftest import gettext_kk, text_of

pytestmark = pytest.mark.django_db


def course_export(cast, kind="pdf"):
    return reverse("jobs:course_export", args=[cast.course.pk, kind])


def department_export(kind="pdf"):
    return reverse("jobs:department_export", args=[kind])


def feedback_export(cast):
    task = cast.tasks["СОӨЖ 1"]
    return reverse("jobs:feedback_export", args=[cast.course.pk, task.pk])


def started(response):
    """The job a start request made, after checking it answered with the job's page."""
    assert response.status_code == 302
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    return job


# Who may ask --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [course_export, feedback_export, lambda cast: department_export()])
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, url):
    response = client.post(url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Job.objects.exists()


@pytest.mark.parametrize("url", [course_export, feedback_export])
@pytest.mark.parametrize("who", ["student", "other_instructor", "other_dept_admin"])
def test_students_and_other_courses_staff_cannot_ask_for_a_courses_files(login, cast, url, who):
    assert login(getattr(cast, who)).post(url(cast)).status_code == 404
    assert not Job.objects.exists()


def test_an_instructor_of_the_department_who_does_not_teach_the_course_cannot_ask(login, cast):
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department)
    assert login(colleague).post(course_export(cast)).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_only_a_department_admin_asks_for_the_departments_files(login, cast, who):
    assert login(getattr(cast, who)).post(department_export()).status_code == 403
    assert not Job.objects.exists()


def test_starting_a_job_answers_only_post(login, cast):
    client = login(cast.instructor)
    assert client.get(course_export(cast)).status_code == 405
    assert login(cast.dept_admin).get(department_export()).status_code == 405


@pytest.mark.parametrize("kind", ["docx", "zip", "PDF"])
def test_an_unknown_kind_of_file_is_not_found(login, cast, kind):
    assert login(cast.instructor).post(course_export(cast, kind)).status_code == 404
    assert login(cast.dept_admin).post(department_export(kind)).status_code == 404
    assert not Job.objects.exists()


def test_a_group_the_course_does_not_have_is_refused_with_a_message(login, cast):
    response = login(cast.instructor).post(course_export(cast), {"group": "ЖОҚ-99"}, follow=True)
    assert "ЖОҚ-99" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("grading:gradebook", args=[cast.course.pk])
    assert not Job.objects.exists()


# Who may see a job -------------------------------------------------------------------------------------


@pytest.fixture
def course_job(login, cast):
    return started(login(cast.instructor).post(course_export(cast)))


@pytest.mark.parametrize("name", ["job", "status", "download"])
def test_only_the_person_who_asked_sees_the_job(login, cast, course_job, name):
    url = reverse(f"jobs:{name}", args=[course_job.pk])
    assert Client().get(url).status_code == 302  # anonymous: sign in first
    for who in ("dept_admin", "student", "other_instructor"):  # the department's admin may read the course, but
        assert login(getattr(cast, who)).get(url).status_code == 404  # asks for the file themself
    assert login(cast.instructor).get(url).status_code == 200


def test_a_requester_who_no_longer_teaches_the_course_loses_the_file(login, cast, course_job):
    cast.course.instructors.remove(cast.instructor)
    client = login(cast.instructor)
    assert client.get(reverse("jobs:job", args=[course_job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[course_job.pk])).status_code == 404


# What the person gets ------------------------------------------------------------------------------------


def test_the_page_gives_the_link_at_once_when_the_job_runs_in_the_request(login, cast, course_job):
    assert course_job.state == Job.State.DONE
    assert course_job.attempts == 1 and not course_job.ran_in_request
    page = login(cast.instructor).get(reverse("jobs:job", args=[course_job.pk])).content.decode()
    assert reverse("jobs:download", args=[course_job.pk]) in page
    assert course_job.filename in page
    assert "data-status-url" not in page  # nothing left to follow


def test_the_status_says_where_the_job_stands(login, cast, course_job):
    status = login(cast.instructor).get(reverse("jobs:status", args=[course_job.pk])).json()
    assert status == {
        "state": "done",
        "label": str(Job.State.DONE.label),
        "done": 2,
        "total": 2,
        "download": reverse("jobs:download", args=[course_job.pk]),
    }


def test_the_course_pdf_is_the_grade_sheet_of_the_whole_course(login, cast, course_job):
    response = login(cast.instructor).get(reverse("jobs:download", args=[course_job.pk]))
    content = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment;")
    text = text_of(content)
    assert cast.course.code in text
    assert "Әбілқасымова" in text and "Бекмұратов" in text  # both groups


def test_a_groups_workbook_holds_that_group_only(login, cast):
    client = login(cast.instructor)
    job = started(client.post(course_export(cast, "xlsx"), {"group": "СЖ-23-02"}))
    assert job.group == "СЖ-23-02"
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    values = [
        str(cell) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for cell in row
    ]
    assert any("Бекмұратов" in value for value in values)
    assert not any("Әбілқасымова" in value for value in values)


def test_asking_twice_while_the_first_is_under_way_gives_the_same_job(login, cast):
    client = login(cast.instructor)
    running = Job.objects.create(
        kind=Job.Kind.COURSE_PDF,
        requested_by=cast.instructor,
        course=cast.course,
        language="kk",
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now(),
    )
    response = client.post(course_export(cast))
    assert response["Location"] == reverse("jobs:job", args=[running.pk])
    assert Job.objects.count() == 1


@pytest.mark.parametrize("state", [Job.State.RUNNING, Job.State.QUEUED])
def test_a_job_stuck_since_long_is_not_handed_out_again(login, cast, settings, state):
    """Its request was cut off (no queue), or its message lost: asking again makes the file."""
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALL_SECONDS + 1)
    stuck = Job.objects.create(
        kind=Job.Kind.COURSE_PDF, requested_by=cast.instructor, course=cast.course, language="kk", state=state
    )
    Job.objects.filter(pk=stuck.pk).update(heartbeat_at=stale)
    response = login(cast.instructor).post(course_export(cast))
    job = Job.objects.exclude(pk=stuck.pk).get()
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert job.state == Job.State.DONE


def test_the_departments_pdf_has_every_course_bookmarked(login, cast):
    second = Course.objects.create(
        department=cast.department,
        code="SW-2101",
        title="Әлеуметтік жұмыс теориясы",
        academic_year="2025-2026",
        term=cast.course.term,
        start_date=cast.course.start_date,
    )
    client = login(cast.dept_admin)
    job = started(client.post(department_export()))
    assert (job.steps_done, job.steps_total) == (2, 2)
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    reader = PdfReader(io.BytesIO(content))
    titles = [item.title for item in reader.outline]
    assert titles == [
        f"{course.code} · {course.academic_year} · {course.display_title}" for course in (cast.course, second)
    ] or titles == [
        f"{course.code} · {course.academic_year} · {course.display_title}" for course in (second, cast.course)
    ]
    text = text_of(content)
    assert cast.course.code in text and "SW-2101" in text
    assert cast.other_course.code not in text  # another department's course


def test_the_departments_workbook_has_a_sheet_per_course(login, cast):
    Course.objects.create(
        department=cast.department,
        code=cast.course.code,  # the same course, another year: the sheets say which
        title=cast.course.title,
        academic_year="2026-2027",
        term=cast.course.term,
        start_date=cast.course.start_date,
    )
    client = login(cast.dept_admin)
    job = started(client.post(department_export("xlsx")))
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    names = load_workbook(io.BytesIO(content)).sheetnames
    assert sorted(names) == sorted([f"{cast.course.code} 2025-2026", f"{cast.course.code} 2026-2027"])


def test_the_feedback_zip_holds_each_graded_students_pdf_in_their_groups_folder(login, cast, graded_both):
    client = login(cast.instructor)
    job = started(client.post(feedback_export(cast)))
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = sorted(archive.namelist())
    assert names == ["СЖ-23-01/СОӨЖ 1 — Әбілқасымова Әсел.pdf", "СЖ-23-02/СОӨЖ 1 — Бекмұратов Нұрлан.pdf"]
    draft_text = subprocess.run(
        ["pdftotext", "-", "-"], input=archive.read(names[1]), capture_output=True, check=True
    ).stdout.decode()
    assert "Бекмұратов" in draft_text
    # The staff's copies: a grade not released yet says so on the page.
    banner = gettext_kk("Draft — not yet released to the student").upper()  # in capitals on the page
    assert banner in " ".join(draft_text.split())


def test_the_queue_offers_the_feedback_zip_once_a_grade_exists(login, cast, graded_both):
    task = cast.tasks["СОӨЖ 1"]
    page = login(cast.instructor).get(reverse("grading:queue", args=[cast.course.pk, task.pk])).content.decode()
    assert feedback_export(cast) in page


def test_the_queue_offers_no_feedback_zip_before_any_grade(login, cast):
    task = cast.tasks["СОӨЖ 1"]
    page = login(cast.instructor).get(reverse("grading:queue", args=[cast.course.pk, task.pk])).content.decode()
    assert feedback_export(cast) not in page


def test_a_file_is_stored_under_the_portals_own_name_and_named_safely_for_the_person(login, cast):
    cast.department.name = "Әлеуметтану/әлеуметтік жұмыс: кафедра"
    cast.department.save()
    job = started(login(cast.dept_admin).post(department_export("xlsx")))
    assert job.file.name == f"jobs/{job.pk}/1/department_xlsx.xlsx"
    assert "/" not in job.filename and ":" not in job.filename
    assert job.filename.endswith(".xlsx")


def test_a_job_silent_for_longer_than_a_stall_is_shown_as_stopped_with_a_way_to_prepare_it_again(login, cast, settings):
    """Its request was cut off: the page must not go on saying the file is being prepared."""
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALL_SECONDS + 1)
    stuck = Job.objects.create(
        kind=Job.Kind.COURSE_PDF, requested_by=cast.instructor, course=cast.course, language="kk", state="running"
    )
    Job.objects.filter(pk=stuck.pk).update(heartbeat_at=stale)
    client = login(cast.instructor)
    page = client.get(reverse("jobs:job", args=[stuck.pk])).content.decode()
    assert gettext_kk("Stopped") in page
    assert gettext_kk("The file is being prepared. You can leave this page: the file will be ready here.") not in page
    assert "data-status-url" not in page
    assert f'action="{course_export(cast)}"' in page
    listed = client.get(reverse("grading:gradebook", args=[cast.course.pk])).content.decode()
    assert gettext_kk("Stopped") in listed
