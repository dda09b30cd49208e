"""A server killed (SIGKILL) in the middle of an upload: a real gunicorn on a free port of 127.0.0.1, with a
throwaway SQLite database and private storage, is killed while a student's file arrives, and again while it is being
stored. Nothing may then be in storage at a final name that no row names, no row may lack its file, and
`manage.py clean_uploads` removes what the killed requests left once it is old enough.

Also the storing itself: within a workflow's transaction a file waits under a temporary name, and is at its final
name once the rows commit."""

import http.client
import os
import sqlite3
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from portfolio import services
from portfolio.models import SubmissionFile
from portfolio.storing import storing
from tests.portfolio.conftest import BEFORE, docx
from tests.servers import Client, gunicorn_start, kill, manage, server_env, stop

PASSWORD = "killed-pass-2025"
MIB = 1024 * 1024
TWO_HOURS_AGO = time.time() - 2 * 60 * 60

SEED = """
import datetime as dt
from django.utils import timezone
from accounts.models import Role, User
from coursework.models import Enrollment, Term
from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
from portfolio.services import task_set_deadline
seed = seed_read()
department = department_ensure(seed=seed)
course = course_create_from_seed(
    seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
)
task = course.tasks.get(label="СОӨЖ 1")
task_set_deadline(task=task, due_at_override=timezone.now() + dt.timedelta(days=7), cutoff_at=None)
student = User(username="killed", role=Role.STUDENT, department=department, last_name="Өлтірілген")
student.set_password({password!r})
student.save()
Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")
print("IDS", course.pk, task.pk)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A migrated SQLite database with the seed course and one student, and an empty private storage."""
    folder = tmp_path_factory.mktemp("killed")
    env = server_env(
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        PRIVATE_STORAGE_ROOT=folder / "private",
        DJANGO_DEBUG=1,
        PORTFOLIO_MAX_FILE_MB=100,
        PORTFOLIO_MAX_SUBMISSION_MB=300,
    )
    manage(env, "migrate", "-v0")
    output = manage(env, "shell", "-c", SEED.format(password=PASSWORD))
    course, task = output.split("IDS ")[1].split()
    return {"env": env, "folder": folder, "storage": folder / "private", "page": f"/courses/{course}/tasks/{task}/"}


@pytest.fixture
def server(project):
    """gunicorn with one sync worker in a process group of its own, so the whole group can be killed."""
    process = gunicorn_start(project["env"], project["folder"])
    yield process, process.port
    stop(process)


def signed_in(port):
    """The cookies of the student signed in through the sign-in form, as a browser would."""
    return Client(port).sign_in("killed", PASSWORD).cookies


def start_upload(port, cookies, path, size):
    """Send the request line, headers and the multipart head of a PDF of ``size`` bytes; the connection, the file's
    content and the closing boundary, still to send."""
    boundary = f"kill{uuid.uuid4().hex}"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{cookies["csrftoken"]}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="эссе.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    content = b"%PDF-1.4\n" + os.urandom(size - 9)
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
    connection.putheader("Content-Length", str(len(head) + len(content) + len(tail)))
    connection.putheader("Cookie", "; ".join(f"{name}={value}" for name, value in cookies.items()))
    connection.putheader("X-CSRFToken", cookies["csrftoken"])
    connection.endheaders()
    connection.send(head)
    return connection, content, tail


def files_under(folder, leaving_out=()):
    if not folder.exists():
        return []
    return [
        path
        for path in folder.rglob("*")
        if path.is_file() and not any(path.is_relative_to(folder / name) for name in leaving_out)
    ]


def rows(project):
    with sqlite3.connect(project["folder"] / "db.sqlite3") as database:
        return [name for (name,) in database.execute("SELECT file FROM portfolio_submissionfile")]


def wait_for(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)
    return found


def assert_nothing_half_there(project):
    """No row without its file; at a final name, only files rows name."""
    storage = project["storage"]
    named = rows(project)
    assert all((storage / name).is_file() for name in named), named
    visible = {path.relative_to(storage).as_posix() for path in files_under(storage, (".incoming", "tmp"))}
    assert visible <= set(named), f"files in storage that no row names: {visible - set(named)}"


def test_a_server_killed_while_a_file_arrives_leaves_only_a_temporary_file_which_the_command_removes(project, server):
    process, port = server
    cookies = signed_in(port)
    connection, content, _tail = start_upload(port, cookies, f"{project['page']}draft/files/", 8 * MIB)
    connection.send(content[: 4 * MIB])
    incoming = project["storage"] / ".incoming"
    wait_for(lambda: [path for path in files_under(incoming) if path.stat().st_size >= 2 * MIB])
    kill(process)
    connection.close()

    assert rows(project) == []
    assert_nothing_half_there(project)
    left = files_under(incoming)
    assert left, "the killed upload left no temporary file: the test did not kill it midway"

    assert "0 temporary leftover(s)" in manage(project["env"], "clean_uploads")  # too young to be taken
    for path in left:
        os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    summary = manage(project["env"], "clean_uploads")
    assert f"Removed 0 orphan file(s) (0.0 MB) and {len(left)} temporary leftover(s)" in summary
    assert files_under(incoming) == []


def test_a_server_killed_while_the_file_is_stored_leaves_no_row_without_its_file_and_nothing_half_written(
    project, server
):
    process, port = server
    cookies = signed_in(port)
    connection, content, tail = start_upload(port, cookies, f"{project['page']}draft/files/", 8 * MIB)
    connection.send(content + tail)
    # Killed the moment anything of the file shows in storage outside the folder uploads arrive in.
    wait_for(lambda: files_under(project["storage"], (".incoming",)))
    kill(process)
    connection.close()

    storage = project["storage"]
    named = rows(project)
    assert all((storage / name).is_file() for name in named), "a row whose file is missing"
    # At a final name a file is whole. One that no row names is possible only if the kill fell between the move
    # into place and the commit; the command removes it as an orphan.
    for path in files_under(storage, (".incoming", "tmp")):
        assert path.read_bytes() == content, f"{path.name} is at its final name half written"
    for path in files_under(storage):
        os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    # --force: the one orphan possible here may be the only stored file, which the command's wrong-database guard
    # would take for a database that names none; this is the service's database.
    manage(project["env"], "clean_uploads", "--force")
    assert files_under(storage, (".incoming",)) == [storage / name for name in named]
    assert files_under(storage / ".incoming") == []


@pytest.mark.django_db
def test_a_stored_file_waits_under_a_temporary_name_until_its_rows_are_about_to_commit(cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    root = Path(default_storage.location)
    with storing() as staging:
        row = SubmissionFile(
            version=draft, original_name="а.pdf", extension="pdf", content_type="application/pdf", size=4, sha256=""
        )
        staging.store(row, ContentFile(b"%PDF"))
        assert not default_storage.exists(row.file.name)
        assert [path.parent.name for path in files_under(root / "tmp")] == ["tmp"]
        with staging.open(row.file) as stream:
            assert stream.read() == b"%PDF"
    assert default_storage.exists(row.file.name)
    assert files_under(root / "tmp") == []


@pytest.mark.django_db
def test_a_workflow_that_fails_leaves_neither_its_temporary_nor_its_final_files(cast, essay):
    draft = services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    before = files_under(Path(default_storage.location))
    with pytest.raises(RuntimeError), storing() as staging:
        row = SubmissionFile(
            version=draft, original_name="а.pdf", extension="pdf", content_type="application/pdf", size=4, sha256=""
        )
        staging.store(row, ContentFile(b"%PDF"))
        raise RuntimeError("the workflow fails after storing")
    assert files_under(Path(default_storage.location)) == before
    assert not SubmissionFile.objects.filter(original_name="а.pdf").exists()
