"""The backup round trip on SQLite, the database `make run` uses: the test database backed up with SQLite's online
backup while it is open, restored into a new database file and an empty folder, and served by a real gunicorn the
same as the original serves it (here through Django's test client: the test database lives in this process's
memory, out of a server's reach)."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import User
from tests.conftest import PASSWORD
from tests.maintenance.conftest import assert_alike, served
from tests.servers import ROOT, Client, gunicorn_start, server_env, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="the test database is not SQLite (the PostgreSQL round trip runs instead)"
    ),
]


def original(client, user):
    client.force_login(user)

    def get(path):
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, response.get("Location", ""), body

    return get


def restored(port, username):
    client = Client(port).sign_in(username, PASSWORD)

    def get(path):
        response = client.get(path)
        return response.status, response.headers.get("Location", ""), response.body

    return get


def test_a_restored_sqlite_database_and_folder_serve_the_same_courses_submissions_grades_and_files(
    cast, world, tmp_path, client
):
    call_command("backup_portal", str(tmp_path / "backup"))
    env = server_env(DATABASE_URL=f"sqlite:///{tmp_path / 'restored.sqlite3'}", PRIVATE_STORAGE_ROOT=tmp_path / "copy")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore_portal", str(tmp_path / "backup")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(7 users, 2 courses, 4 submissions, 4 files, 3 grades) and 4 file(s)" in result.stdout

    server = gunicorn_start(env, tmp_path)
    try:
        for user in (cast.instructor, cast.student):
            assert_alike(
                served(original(client, user), world, user.username),
                served(restored(server.port, user.username), world, user.username),
            )
    finally:
        stop(server)


def test_a_restore_into_a_database_that_is_not_empty_is_refused_and_changes_nothing(world, tmp_path):
    call_command("backup_portal", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match=r"The sqlite database .* is not empty: it has \d+ table\(s\)"):
        call_command("restore_portal", str(tmp_path / "backup"))
    assert User.objects.count() == 7
