"""The backup round trip on PostgreSQL: the portal's database and files backed up, restored into a new, empty
database and an empty folder or bucket, and served by a real gunicorn the same as the original by another — the
instructor's course page, gradebook, queue and grading pages, the student's pages, and every file's bytes.
Restoring into a database or storage that is not empty, or from a folder that is not a whole backup, is refused
and changes nothing."""

import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import User
from grading.models import Grade
from maintenance.backups import storage_files
from tests.conftest import PASSWORD
from tests.maintenance.conftest import assert_alike, served
from tests.s3 import bucket_create
from tests.servers import ROOT, Client, gunicorn_start, server_env, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL (CI runs it)"),
]


def database_url(name):
    database = connection.settings_dict
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    return f"postgres://{quote(database['USER'], safe='')}{password}@{database['HOST']}:{database['PORT']}/{name}"


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database (named after it, so parallel runs do not collide)."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def original_env(**storage):
    """What a server or command needs to use the test's own database and storage."""
    if not storage:
        storage = {"PRIVATE_STORAGE_ROOT": default_storage.location}
    return server_env(DATABASE_URL=database_url(connection.settings_dict["NAME"]), **storage)


def manage(env, *args):
    """``manage.py`` with ``env``: its exit code, output and errors."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    return result.returncode, result.stdout, result.stderr


def restore(env, folder):
    code, output, errors = manage(env, "restore_portal", str(folder))
    assert code == 0, output + errors
    return output


def table_count(name):
    code, output, errors = subprocess_psql(name, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    assert code == 0, errors
    return int(output)


def subprocess_psql(name, query):
    database = connection.settings_dict
    result = subprocess.run(
        ["psql", "-At", "-h", database["HOST"], "-p", str(database["PORT"]), "-U", database["USER"], "-c", query, name],
        env={**server_env(), "PGPASSWORD": database["PASSWORD"] or ""},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode, result.stdout.strip(), result.stderr


def pages_compared(world, original_env, restored_env, folder):
    """Start a gunicorn on each side, sign the instructor and the student in on each, and compare what they see."""
    with ThreadPoolExecutor(2) as pool:  # both start at once: a start is mostly Django loading
        original, restored = pool.map(lambda env: gunicorn_start(env, folder), (original_env, restored_env))
    try:
        for username in ("instructor", "student"):
            answers = []
            for server in (original, restored):
                client = Client(server.port).sign_in(username, PASSWORD)

                def get(path, client=client):
                    response = client.get(path)
                    return response.status, response.headers.get("Location", ""), response.body

                answers.append(served(get, world, username))
            assert_alike(*answers)
    finally:
        stop(original)
        stop(restored)


def test_a_restored_database_and_folder_serve_the_same_courses_submissions_grades_and_files(
    world, empty_database, tmp_path
):
    call_command("backup_portal", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert sorted(entry["name"] for entry in manifest["files"]) == sorted(item.file.name for item in world.files)
    assert manifest["missing"] == []

    restored_env = server_env(DATABASE_URL=database_url(empty_database), PRIVATE_STORAGE_ROOT=tmp_path / "restored")
    summary = restore(restored_env, tmp_path / "backup")
    assert "(7 users, 2 courses, 4 submissions, 4 files, 3 grades) and 4 file(s)" in summary
    for item in world.files:
        assert (tmp_path / "restored" / item.file.name).read_bytes() == item.file.open("rb").read()

    pages_compared(world, original_env(), restored_env, tmp_path)


def test_a_bucket_backed_up_and_restored_into_another_empty_bucket_serves_the_same(
    world, empty_database, tmp_path, s3_endpoint
):
    source, target = bucket_create(s3_endpoint), bucket_create(s3_endpoint)
    for name in storage_files(default_storage):  # the world's files, moved into the bucket
        source.client.put_object(Bucket=source.name, Key=name, Body=default_storage.open(name).read())
    code, output, errors = manage(original_env(**source.env), "backup_portal", str(tmp_path / "backup"))
    assert code == 0, output + errors

    restored_env = server_env(DATABASE_URL=database_url(empty_database), **target.env)
    restore(restored_env, tmp_path / "backup")
    keys = source.keys()
    assert target.keys() == keys == sorted(item.file.name for item in world.files)
    assert all(target.read(key) == source.read(key) for key in keys)

    pages_compared(world, original_env(**source.env), restored_env, tmp_path)


def test_a_restore_into_a_database_or_storage_that_is_not_empty_is_refused_and_changes_nothing(
    world, empty_database, tmp_path
):
    backup = tmp_path / "backup"
    call_command("backup_portal", str(backup))
    files_before = {name: default_storage.open(name).read() for name in storage_files(default_storage)}

    with pytest.raises(CommandError, match=rf"database {connection.settings_dict['NAME']} .*is not empty"):
        call_command("restore_portal", str(backup))
    assert (User.objects.count(), Grade.objects.count()) == (7, 3)
    assert {name: default_storage.open(name).read() for name in storage_files(default_storage)} == files_before

    occupied = tmp_path / "occupied"
    (occupied / "portfolio").mkdir(parents=True)
    (occupied / "portfolio" / "someone-elses.pdf").write_bytes(b"%PDF")
    env = server_env(DATABASE_URL=database_url(empty_database), PRIVATE_STORAGE_ROOT=occupied)
    code, _output, errors = manage(env, "restore_portal", str(backup))
    assert code == 1
    assert "The storage (FileSystemStorage) is not empty: it holds 1 file(s) (portfolio/someone-elses.pdf)" in errors
    assert "is not empty: it has" not in errors  # the database is
    assert table_count(empty_database) == 0
    assert [path.name for path in occupied.rglob("*") if path.is_file()] == ["someone-elses.pdf"]


def test_a_folder_that_is_not_a_whole_backup_is_refused_saying_why(world, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup_portal", str(backup))

    with pytest.raises(CommandError, match="there is no such folder"):
        call_command("restore_portal", str(tmp_path / "elsewhere"))

    interrupted = shutil.copytree(backup, tmp_path / "interrupted")
    (interrupted / "manifest.json").unlink()
    with pytest.raises(CommandError, match=r"holds no manifest\.json: it is not a whole backup"):
        call_command("restore_portal", str(interrupted))

    damaged = shutil.copytree(backup, tmp_path / "damaged")
    victim = damaged / "files" / world.files[0].file.name
    victim.write_bytes(victim.read_bytes()[:-1])
    with pytest.raises(CommandError, match=rf"is damaged: 1 file\(s\) .*\(files/{world.files[0].file.name}\)"):
        call_command("restore_portal", str(damaged))

    other_engine = shutil.copytree(backup, tmp_path / "sqlite")
    manifest = json.loads((other_engine / "manifest.json").read_text())
    (other_engine / "manifest.json").write_text(json.dumps({**manifest, "engine": "sqlite"}))
    with pytest.raises(CommandError, match="holds a sqlite database, but DATABASE_URL names a postgresql one"):
        call_command("restore_portal", str(other_engine))

    newer = shutil.copytree(backup, tmp_path / "newer")
    (newer / "manifest.json").write_text(
        json.dumps({**manifest, "migrations": [*manifest["migrations"], ["grading", "9999_from_the_future"]]})
    )
    with pytest.raises(CommandError, match=r"newer version of the portal: 1 of its migrations .*grading.9999"):
        call_command("restore_portal", str(newer))
    assert (User.objects.count(), Grade.objects.count()) == (7, 3)


def test_a_backup_that_fails_leaves_no_folder_that_could_be_taken_for_a_backup(world, tmp_path):
    """A file that cannot be read midway (here a link to itself) stops the backup: neither the folder asked for
    nor its partial copy is left."""
    broken = Path(default_storage.location) / "portfolio" / "broken.docx"
    broken.symlink_to(broken)
    with pytest.raises(OSError, match="symbolic links"):
        call_command("backup_portal", str(tmp_path / "backup"))
    assert [path.name for path in tmp_path.iterdir()] == ["private"]  # the storage's folder, nothing else
