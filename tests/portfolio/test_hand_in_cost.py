"""What a student's hand-in costs the server, step by step as issue 17's load plays it (take a file of the version
handed in out, upload a PDF into the draft, hand the draft in), and what every signed-in page costs before its own
work: the queries are pinned, so a change that reads a row twice again is seen. And the navigation bar, rendered
once per process for each kind of person, still shows each person their own links in their own language."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.models import Version
from portfolio.receipts import hand_in_message
from tests.portfolio.conftest import BEFORE, docx, hand_in, pdf

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
STATEMENT = {"own_work": "on", "deidentified": "on"}
# Every signed-in request reads its session and its person.
SIGNED_IN = 2


@pytest.fixture
def handed_in(cast, essay):
    """The student's essay handed in as version 1 with two files; no draft started."""
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx("план.docx")], now=BEFORE)
    return hand_in(essay, cast.student, pdf("эссе.pdf"))


@pytest.fixture
def student(login, cast):
    return login(cast.student)


def url(name, task, *args):
    return reverse(f"portfolio:{name}", args=[task.course_id, task.pk, *args])


def remove_plan(student, essay, handed_in):
    return student.post(url("draft_file_remove", essay, handed_in.files.get(original_name="план.docx").pk))


def test_taking_a_handed_in_file_out_reads_the_task_the_file_and_its_submission_once(
    student, essay, handed_in, django_assert_num_queries
):
    plan = handed_in.files.get(original_name="план.docx")
    # The task; the file with its version and submission; the extension; a savepoint; the submission locked; its
    # draft and latest version locked at once (the new draft is numbered after the latest); the new draft; the files
    # it carries over and the copy of the one left; the savepoint released.
    with django_assert_num_queries(SIGNED_IN + 10):
        response = student.post(url("draft_file_remove", essay, plan.pk))
    assert response.status_code == 302
    draft = Version.objects.get(state=Version.State.DRAFT)
    assert list(draft.files.values_list("original_name", flat=True)) == ["эссе.pdf"]
    assert handed_in.files.count() == 2


def test_uploading_a_pdf_into_the_draft_reads_the_task_once(student, essay, handed_in, django_assert_num_queries):
    remove_plan(student, essay, handed_in)
    # The task; the extension; a savepoint; the submission locked; its draft (and latest version) locked; the
    # draft's names and sizes; the new file; the savepoint released.
    with django_assert_num_queries(SIGNED_IN + 8):
        response = student.post(url("draft_upload", essay), {"files": pdf("жаңа.pdf")})
    assert response.status_code == 302
    draft = Version.objects.get(state=Version.State.DRAFT)
    assert sorted(draft.files.values_list("original_name", flat=True)) == ["жаңа.pdf", "эссе.pdf"]


def test_handing_in_reads_both_versions_files_at_once_for_the_check_and_the_receipt(
    student, essay, handed_in, django_assert_num_queries
):
    remove_plan(student, essay, handed_in)
    student.post(url("draft_upload", essay), {"files": pdf("жаңа.pdf")})
    # The task; the extension; a savepoint; the submission locked; its draft and latest version locked at once; the
    # files of both; both versions marked; the directory's look at their rows (in a savepoint of its own); the
    # course's results marked changed; the savepoint released.
    with django_assert_num_queries(SIGNED_IN + 14):
        response = student.post(url("draft_submit", essay), STATEMENT)
    assert response.status_code == 302
    version = Version.objects.get(is_latest=True)
    assert version.number == 2
    assert sorted(version.files.values_list("original_name", flat=True)) == ["жаңа.pdf", "эссе.pdf"]
    shown = [str(message) for message in student.get(response["Location"]).context["messages"]]
    assert shown[-1] == hand_in_message(version, version.files.all())  # after the removal's and the upload's


def test_a_signed_in_page_reads_only_the_session_and_the_person(student, django_assert_num_queries):
    with django_assert_num_queries(SIGNED_IN):
        assert student.get(reverse("password_change_done")).status_code == 200


def test_with_a_shared_cache_a_signed_in_page_reads_the_session_from_it(settings, student, django_assert_num_queries):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    student.get(reverse("password_change_done"))  # the session, kept in the cache as it is read
    with django_assert_num_queries(1):
        assert student.get(reverse("password_change_done")).status_code == 200


def session_engine(**env):
    clean = {key: value for key, value in os.environ.items() if key not in {"CACHE_URL", "DJANGO_DEBUG"}}
    code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "k" * 50},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_sessions_are_cached_only_in_a_cache_every_worker_shares():
    assert session_engine() == "django.contrib.sessions.backends.db"
    assert session_engine(CACHE_URL="redis://127.0.0.1:6379/9") == "django.contrib.sessions.backends.cached_db"


def links_of(client, page="password_change_done"):
    page = client.get(reverse(page)).content.decode()
    return page[page.index('<ul class="navbar-nav me-auto">') : page.index("</ul>")]


def test_the_navigation_bar_shows_each_person_their_own_links_in_their_language(login, client, cast):
    student_links = links_of(login(cast.student))
    assert reverse("grading:student_home") in student_links
    assert reverse("grading:instructor_home") not in student_links
    assert reverse("directory:index") in student_links
    instructor_links = links_of(login(cast.instructor))
    assert reverse("grading:instructor_home") in instructor_links and reverse("grading:rubric_list") in instructor_links
    assert reverse("grading:student_home") not in instructor_links
    admin_links = links_of(login(cast.dept_admin))
    assert reverse("grading:letter_scale") in admin_links
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = links_of(client)
    assert "Department" in english and "Letter scale" in english
    client.logout()
    assert links_of(client, "login").split() == ["<ul", 'class="navbar-nav', 'me-auto">']
