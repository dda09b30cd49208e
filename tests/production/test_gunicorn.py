"""The portal as ``make serve`` runs it: gunicorn with config/gunicorn.conf.py and production settings (DEBUG off,
collected static files, persistent database connections), on a PostgreSQL cluster the test starts for itself so
that it can stop and start it.

While PostgreSQL is down a page gets the "unavailable" page (503), logged once; once it is back, the same gunicorn
worker serves pages again, its old connections replaced because each is checked before reuse
(``CONN_HEALTH_CHECKS``)."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.utils import ConnectionHandler, OperationalError

from tests.production.logfmt import parse
from tests.servers import Client, free_port, gunicorn_start, manage, server_env, stop

PG_BINS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
PASSWORD = "restart-pass-2025"
HOME = "/student/"
UNAVAILABLE = "The portal cannot reach its database, so what you sent may not have been saved. Try again in a minute."

pytestmark = pytest.mark.skipif(not PG_BINS, reason="PostgreSQL's server programs (initdb, pg_ctl) are not installed")

SEED = """
import datetime as dt
from accounts.models import Role, User
from coursework.models import Enrollment, Term
from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
seed = seed_read()
department = department_ensure(seed=seed)
course = course_create_from_seed(
    seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
)
student = User(username="restarted", role=Role.STUDENT, department=department, last_name="Қайта")
student.set_password({password!r})
student.save()
Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")
print("COURSE", course.code)
"""


class Cluster:
    """A PostgreSQL cluster of the test's own in a temporary folder, on a free port of 127.0.0.1, trusting local
    connections. initdb refuses to run as root: as root, the server's programs run as the ``postgres`` user."""

    def __init__(self):
        self.bin = PG_BINS[-1]
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="portal-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", self.folder / "data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def _run(self, program, *args):
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        command = [*as_postgres, self.bin / program, *args]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.folder / "data", "-l", self.folder / "log", "-o", options, "-w", "start")

    def stop(self, mode="fast"):
        """Stopped as a restart stops it: ``fast`` ends the sessions of connected clients."""
        self._run("pg_ctl", "-D", self.folder / "data", "-m", mode, "-w", "stop")

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self):
        if (self.folder / "data" / "postmaster.pid").exists():
            self.stop("immediate")
        shutil.rmtree(self.folder)


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def portal(cluster, tmp_path_factory):
    """A migrated database on the cluster with the seed course and a student; static files collected as for
    production (at the same time as the migration: collecting compresses every file and takes the longer)."""
    folder = tmp_path_factory.mktemp("production")
    subprocess.run(
        [cluster.bin / "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "portal"], check=True
    )
    env = server_env(
        DJANGO_DEBUG=0,
        SECRET_KEY="restart-test-" + "k" * 50,
        DATABASE_URL=cluster.url("portal"),
        DB_CONN_MAX_AGE=60,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT=0,
        SECURE_COOKIES=0,
        PRIVATE_STORAGE_ROOT=folder / "private",
        STATIC_ROOT=folder / "static",
        CELERY_BROKER_URL="",
        STORAGE_BUCKET="",
        GUNICORN_CMD_ARGS="--config config/gunicorn.conf.py",
    )
    collecting = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    manage(env, "migrate", "-v0")
    manage(env, "shell", "-c", SEED.format(password=PASSWORD))
    output, _ = collecting.communicate(timeout=120)
    assert collecting.returncode == 0, output.decode()
    return {"env": env, "folder": folder}


@pytest.fixture(scope="module")
def served(portal):
    """One gunicorn worker with threads, as a small server runs it."""
    process = gunicorn_start(portal["env"], portal["folder"], workers=1, threads=2)
    yield process
    stop(process)


def workers(process):
    """The pids of the gunicorn master's worker processes."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def logged(process, text, timeout=5):
    """The lines of the server's output holding ``text``, waiting a moment for the first (gunicorn writes a
    request's line once the response is sent)."""
    deadline = time.monotonic() + timeout
    while not (lines := [line for line in process.output().splitlines() if text in line]):
        if time.monotonic() > deadline:
            return []
        time.sleep(0.05)
    return lines


def test_static_files_are_served_by_gunicorn_compressed_and_cached_for_good(served):
    page = Client(served.port).get("/accounts/login/")
    assert page.status == 200
    [stylesheet] = re.findall(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page.text)
    response = Client(served.port).get(stylesheet, headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]


def test_a_database_restart_fails_pages_cleanly_and_the_same_worker_serves_again(cluster, served):
    student = Client(served.port, timeout=15).sign_in("restarted", PASSWORD)
    assert student.get(HOME).status == 200
    before = workers(served)
    logged_before = len(logged(served, "logger=portal.outage", timeout=0))

    # Restarted with no request in between: every connection the worker keeps is dead, and each is found so before
    # use, so not one page fails.
    cluster.stop()
    cluster.start()
    assert [student.get(HOME).status for _ in range(4)] == [200] * 4

    cluster.stop()
    started = time.monotonic()
    down = student.get(HOME)
    assert time.monotonic() - started < 5
    assert down.status == 503
    assert down.headers["Retry-After"] == "60"
    assert "Traceback" not in down.text
    other = Client(served.port, timeout=15)
    other.get("/accounts/login/")
    signing_in = other.post("/accounts/login/", {"username": "restarted", "password": PASSWORD})
    assert signing_in.status == 503
    health = student.get("/healthz")
    assert health.status == 503
    assert health.json()["failed"] == ["database"]

    cluster.start()
    again = student.get(HOME)
    assert again.status == 200, "the first page after the restart failed"
    assert "Қайта" in again.text  # still signed in: the session outlived the outage
    assert student.get("/healthz").status == 200
    assert workers(served) == before, "gunicorn replaced its worker"

    lines = logged(served, "logger=portal.outage")[logged_before:]
    assert len(lines) == 2, "each failed page is logged once"
    assert all(line.startswith("time=") and " level=warning " in line for line in lines)
    assert [re.search(r" path=(\S+)", line).group(1) for line in lines] == [HOME, "/accounts/login/"]
    assert "Traceback" not in served.output()
    assert "level=error" not in served.output(), "an outage is no error of the portal's"


@pytest.mark.parametrize("checked", [True, False])
def test_only_a_connection_checked_before_reuse_survives_a_restart(cluster, checked, django_db_blocker):
    """What Django does for each request (close what is unusable or too old, then query) with a connection kept
    across a restart of the cluster: checked before reuse, it is replaced; unchecked, the request fails."""
    settings = {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": cluster.port,
        "NAME": "postgres",
        "USER": "postgres",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": checked,
    }
    # Under the alias Django gives its connections outside DATABASES: django.contrib.postgres would look its types
    # up through the test's own "default" connection, which may be SQLite.
    connection = DatabaseWrapper(ConnectionHandler({"default": settings}).settings["default"], NO_DB_ALIAS)
    with django_db_blocker.unblock():
        _query_across_a_restart(connection, cluster, checked)


def _query_across_a_restart(connection, cluster, checked):
    try:
        connection.close_if_unusable_or_obsolete()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        connection.close_if_unusable_or_obsolete()  # the request ends; the connection is kept

        cluster.stop()
        cluster.start()

        connection.close_if_unusable_or_obsolete()  # the next request starts
        if checked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                assert cursor.fetchone() == (1,)
        else:
            with pytest.raises(OperationalError), connection.cursor() as cursor:
                cursor.execute("SELECT 1")
    finally:
        connection.close()


def test_everything_gunicorn_and_the_portal_write_is_logfmt_with_a_line_per_request(served):
    Client(served.port).get("/accounts/login/?next=/student/", headers={"User-Agent": "restart test/1.0"})
    [access] = logged(served, ' path="/accounts/login/?next=/student/" ')
    fields = parse(access)
    assert list(fields)[:4] == ["time", "level", "logger", "message"]
    assert (fields["level"], fields["logger"], fields["method"], fields["status"]) == (
        "info",
        "gunicorn.access",
        "GET",
        "200",
    )
    assert fields["user_agent"] == "restart test/1.0"
    assert float(fields["duration_ms"]) > 0 and int(fields["bytes"]) > 0
    assert 0 < float(fields["cpu_ms"]) <= float(fields["duration_ms"]) + 0.5  # its clock starts a step earlier
    lines = served.output().splitlines()
    assert any(parse(line)["message"].startswith("Booting worker with pid: ") for line in lines)
    for line in lines:
        parse(line)
