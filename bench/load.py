"""Play 50 people against gunicorn on PostgreSQL for a fixed time and print what the server gave them.

Run from the project root:  .venv/bin/python bench/load.py [--seconds 60] [--before-cpu-ms 43]
                            .venv/bin/python bench/load.py --tree /tmp/before   (another checkout's code, this venv)

1. The database ``--database`` (default bench_load) on 127.0.0.1:5432 is dropped and created, migrated, and filled
   with the demo (``manage.py load_demo --force``) plus ``--extra-students`` more students of the demo course (in its
   two groups), each with an essay handed in for СОӨЖ 1 and graded by the demo's own grader (demo.grades), every
   eighth grade changed six more times; ``--instructors`` − 1 more instructors teach the course.
2. gunicorn starts with the production configuration (config/gunicorn.conf.py, DJANGO_DEBUG=0) over plain HTTP on
   127.0.0.1: SECURE_COOKIES=0 and SECURE_SSL_REDIRECT=0 stand in for the proxy that terminates HTTPS. Static files
   are collected into a temporary folder and served by WhiteNoise, as in production.
3. Every virtual person signs in through the login form (timed, reported apart), then acts with a think time of
   0.5–1.5 s: students open their home page, the course page (the task schedule), task pages, and upload a small
   PDF into the draft of СОӨЖ 4-5, take an old file out and hand the draft in; instructors open СОӨЖ 1's queue and
   grading pages and save grades (real POSTs with the page's CSRF token, each on a slice of the class of its own,
   so no two save the same grade); the department admin opens the gradebook. A browser follows every redirect after
   a POST, and so does each person here. One more virtual person fetches a static file, through WhiteNoise and no
   database, as the bare endpoint's figures under the same load.
4. After ``--warmup`` seconds, figures are taken for ``--seconds``: requests completed per second, per kind count,
   p50/p95/p99 and errors (any status but the one expected, or a page saying a step failed), the worker processes'
   CPU (utime + stime from /proc, the master's reaped children included, so a worker replaced after its thousand
   requests still counts) per request, PostgreSQL's CPU, this client's own CPU, and the database sessions opened
   meanwhile.
5. The server gets ``--cache-url`` (default a Redis database, emptied first) as CACHE_URL, as a production site with
   several workers has it: the workers share the gradebook's cached order and the sessions ('none': no Redis).

It exits non-zero only when it could not measure (setup or sign-in failed).
"""

import argparse
import contextlib
import html.parser
import http.client
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PASSWORD = "demo-pass-2025"  # the demo's published password (demo.courses.DEMO_PASSWORD)
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
P95_TARGET_MS = 300
THINK_SECONDS = (0.5, 1.5)
STUDENT_ACTIONS = [("student home", 25), ("course page", 25), ("task page", 30), ("hand-in", 20)]
INSTRUCTOR_ACTIONS = [("queue", 35), ("grading page", 65)]
SAVE_SHARE = 0.5  # of the grading pages an instructor opens, the share they save a grade on
GRADEBOOK_SORTS = ["name", "name", "total", "group"]

LOGFMT_FIELD = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
# Which kind of request an access line is, by its method and path (the kinds the people below record).
KIND_BY_PATH = [
    ("GET", r"/student/", "student home"),
    ("GET", r"/courses/\d+/", "course page"),
    ("GET", r"/courses/\d+/tasks/\d+/", "task page"),
    ("POST", r"/courses/\d+/tasks/\d+/draft/files/", "upload"),
    ("POST", r"/courses/\d+/tasks/\d+/draft/files/\d+/remove/", "remove file"),
    ("POST", r"/courses/\d+/tasks/\d+/submit/", "hand in"),
    ("GET", r"/courses/\d+/tasks/\d+/queue/(\?.*)?", "queue"),
    ("GET", r"/submissions/\d+/grade/", "grading page"),
    ("POST", r"/submissions/\d+/grade/", "grade save"),
    ("GET", r"/courses/\d+/gradebook/(\?.*)?", "gradebook"),
    ("GET", r"/static/.*", "static (bare)"),
]

SHELL_PRELUDE = """
import json
PARAMS = json.loads({params!r})
def emit(result):
    print("BENCH_JSON " + json.dumps(result))
"""
SEED_CODE = """
from decimal import Decimal
from django.core.files.uploadedfile import SimpleUploadedFile
from accounts.models import Role, User
from coursework.models import Course, Enrollment
from demo.grades import demo_grades
from grading.models import Grade
from grading.services.grades import grade_save
from portfolio import services
from portfolio.models import Version

course = Course.objects.get(code="CM-7B11401")
essay = course.tasks.get(label="СОӨЖ 1")
report = course.tasks.get(label="СОӨЖ 4-5")
password = User.objects.get(username="student1").password  # the demo's hash: no hashing per account
groups = sorted(set(course.enrollments.values_list("academic_group", flat=True)))
for number in range(PARAMS["students"]):
    student = User.objects.create(
        username=f"load{number:03d}", role=Role.STUDENT, department=course.department, password=password,
        last_name=f"Жүктемов-{number:03d}", first_name="Студент",
    )
    Enrollment.objects.create(course=course, student=student, academic_group=groups[number % len(groups)])
    pdf = PARAMS["pdf"].replace("MARK", f"{number:08d}").encode("latin-1")
    upload = SimpleUploadedFile(f"essay-{number:03d}.pdf", pdf)
    services.draft_submit(task=essay, student=student, uploads=[upload], statement_accepted=True)
for number in range(1, PARAMS["instructors"]):
    teacher = User.objects.create(
        username=f"teacher{number}", role=Role.INSTRUCTOR, department=course.department, password=password,
        last_name=f"Оқытушы-{number}", first_name="Жүктеме",
    )
    course.instructors.add(teacher)
demo_grades(course=course)
grader = course.instructors.get(username="instructor1")
for index, grade in enumerate(Grade.objects.filter(submission__task=essay).order_by("pk")):
    if index % 8:
        continue
    scores = [
        {"criterion": s.criterion, "level": s.level, "points": s.points, "comment": s.comment}
        for s in grade.scores.select_related("criterion", "level")
    ]
    for change in range(6):
        grade = grade_save(
            version=grade.version, grader=grader, expected_lock_version=grade.lock_version, scores=scores,
            feedback=f"{grade.feedback[:200]} ({change + 1})", originality_percent=Decimal(80),
            originality_checker="Антиплагиат (ҚазҰУ)",
        )
submissions = list(
    Version.objects.latest_submitted().filter(submission__task=essay)
    .order_by("submission__student__username").values_list("submission_id", flat=True)
)
emit({
    "course": course.pk,
    "essay": essay.pk,
    "report": report.pk,
    "tasks": list(course.tasks.values_list("pk", flat=True)),
    "students": list(course.enrollments.order_by("student__username").values_list("student__username", flat=True)),
    "instructors": ["instructor1"] + [f"teacher{n}" for n in range(1, PARAMS["instructors"])],
    "submissions": submissions,
    "grades": Grade.objects.filter(submission__task=essay).count(),
})
"""


def small_pdf(text):
    """A one-page PDF saying ``text``, with a correct cross-reference table (so it is counted like a real one)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = "%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return body


# Setup ----------------------------------------------------------------------------------------------------------


def server_env(args, tmp):
    """Production settings over plain HTTP, everything the server writes in ``tmp``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DB_", "GUNICORN_"))}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        DJANGO_DEBUG="0",
        SECRET_KEY="load-test-" + uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        PRIVATE_STORAGE_ROOT=str(tmp / "private"),
        STATIC_ROOT=str(tmp / "static"),
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        CELERY_BROKER_URL="",
    )
    # The configuration's default (config/gunicorn.conf.py), written out so the script can wait for every worker.
    env["WEB_CONCURRENCY"] = str(args.workers or os.cpu_count() * 2 + 1)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    if args.cache_url != "none":
        env["CACHE_URL"] = args.cache_url
    return env


def manage(tree, env, *command):
    result = subprocess.run(
        [str(PYTHON), "manage.py", *command], cwd=tree, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {command[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(args, tree, env):
    """A fresh database with the demo and the extra class; returns what the seed snippet emitted."""
    admin = psycopg2.connect(dbname="postgres", **POSTGRES)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{args.database}"')
    admin.close()
    if env.get("CACHE_URL"):
        redis.Redis.from_url(env["CACHE_URL"]).flushdb()  # nothing cached for another database's rows
    if not any((tree / "locale").glob("*/LC_MESSAGES/django.mo")):
        manage(tree, env, "compilemessages", "--ignore=.venv", "-v0")
    manage(tree, env, "collectstatic", "--noinput", "-v0")
    manage(tree, env, "migrate", "-v0")
    manage(tree, env, "load_demo", "--force")
    params = {"students": args.extra_students, "instructors": args.instructors, "pdf": small_pdf("Essay MARK")}
    output = manage(tree, env, "shell", "-c", SHELL_PRELUDE.format(params=json.dumps(params)) + SEED_CODE)
    for line in output.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError("the seed snippet emitted nothing")


def static_path(tmp):
    """A hashed static file's address (what pages link to), from the manifest collectstatic wrote."""
    manifest = json.loads((tmp / "static" / "staticfiles.json").read_text())["paths"]
    name = next(name for name in sorted(manifest) if name.startswith("css/") and name.endswith(".css"))
    return "/static/" + manifest[name]


class Server:
    """gunicorn as production starts it (``make serve``'s command), stopped on the way out."""

    def __init__(self, tree, env, log_path):
        self.tree, self.env, self.log_path = tree, env, log_path
        self.process = None

    def __enter__(self):
        command = [str(GUNICORN), "config.wsgi", "--config", "config/gunicorn.conf.py"]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=self.tree, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        host, port = self.env["GUNICORN_BIND"].split(":")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            if len(self.workers()) == int(self.env["WEB_CONCURRENCY"]):
                try:
                    socket.create_connection((host, int(port)), timeout=1).close()
                    return self
                except OSError:
                    pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not come up; see {self.log_path}")

    def __exit__(self, *exc_info):
        self.stop()

    def workers(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def log_size(self):
        return self.log_path.stat().st_size

    def access_lines(self, start, end):
        """The access lines gunicorn wrote between two ``log_size`` readings, as (method, path, cpu_ms or None), and
        ("BOOT", "", None) for each worker it started meanwhile."""
        with open(self.log_path, "rb") as log:
            log.seek(start)
            text = log.read(end - start).decode("utf-8", "replace")
        for line in text.splitlines():
            fields = {key: value.strip('"') for key, value in LOGFMT_FIELD.findall(line)}
            if fields.get("message", "").startswith("Booting worker"):
                yield "BOOT", "", None
            elif fields.get("logger") == "gunicorn.access":
                cpu = fields.get("cpu_ms")
                yield fields.get("method"), fields.get("path", ""), float(cpu) if cpu else None

    def worker_memory_mb(self):
        """Each live worker's resident memory, in MiB (from /proc)."""
        sizes = []
        for pid in self.workers():
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                sizes.append(int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1)) / 1024)
        return sizes

    def worker_cpu_seconds(self):
        """CPU time of the live workers plus that of the workers the master has already reaped."""
        ticks = _stat_fields(self.process.pid)[14:16]  # cutime, cstime (fields 16, 17)
        total = sum(int(value) for value in ticks)
        for pid in self.workers():
            # A worker replaced just now: its time is in the master's cutime by the next reading.
            with contextlib.suppress(OSError):
                total += sum(int(value) for value in _stat_fields(pid)[12:14])  # utime, stime (fields 14, 15)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _stat_fields(pid):
    """/proc/<pid>/stat split into fields (the command name, which may hold spaces, as one)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    head, _, rest = text.rpartition(")")
    return [head, *rest.split()]


def database_cpu_ticks():
    """{pid: utime + stime} of the PostgreSQL server's processes (backends included) on this machine."""
    ticks = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                fields = _stat_fields(int(entry.name))
                if fields[0].endswith("(postgres"):
                    ticks[int(entry.name)] = int(fields[12]) + int(fields[13])
    return ticks


def database_cpu_seconds(before, after):
    """CPU the PostgreSQL processes used between two readings of ``database_cpu_ticks`` (a backend that ended in
    between is not counted: the server keeps its connections, so few do)."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / os.sysconf("SC_CLK_TCK")


def database_sessions(database):
    """Sessions PostgreSQL has opened to ``database`` so far (pg_stat_database.sessions)."""
    connection = psycopg2.connect(dbname="postgres", **POSTGRES)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = %s", [database])
            return cursor.fetchone()[0]
    finally:
        connection.close()


# The client -----------------------------------------------------------------------------------------------------


class Failed(Exception):
    """A step whose answer was not the one expected: counted as an error of its kind."""


class Recorder:
    """Every timed request: kind, start, end, and whether it failed; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []
        self.samples = defaultdict(list)  # kind -> a few error descriptions

    def add(self, kind, start, end, error=None):
        with self.lock:
            self.rows.append((kind, start, end, error is not None))
            if error is not None and len(self.samples[kind]) < 3:
                self.samples[kind].append(str(error)[:200])


class Browser:
    """One person's browser: a kept-alive connection, a cookie jar, redirects followed after a POST."""

    def __init__(self, port, recorder):
        self.port = port
        self.recorder = recorder
        self.cookies = {}
        self.connection = None

    def _send(self, method, path, body, headers):
        """One request on the kept-alive connection; a connection the server closed meanwhile is opened again once
        (as a browser does), a failure on a fresh one is the answer."""
        for attempt in (1, 2):
            fresh = self.connection is None
            if fresh:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if fresh or attempt == 2:
                    raise
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            return response, data
        raise AssertionError("unreachable")

    def request(self, kind, method, path, *, body=None, content_type=None, expect=200):
        """Send, time and record one request; returns (response, body) or raises Failed."""
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method == "POST":
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        start = time.monotonic()
        error = None
        try:
            response, data = self._send(method, path, body, headers)
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if response.status not in (expect if isinstance(expect, tuple) else (expect,)):
                error = Failed(f"{method} {path}: {response.status}, expected {expect}")
            elif response.status == 200 and b"alert-danger" in data and kind != "static (bare)":
                error = Failed(f"{method} {path}: the page reports an error")
        except (OSError, http.client.HTTPException) as problem:
            error = Failed(f"{method} {path}: {type(problem).__name__}: {problem}")
        self.recorder.add(kind, start, time.monotonic(), error)
        if error:
            raise error
        return response, data

    def get(self, kind, path):
        return self.request(kind, "GET", path)[1].decode()

    def post(self, kind, path, fields, *, follow_kind, files=None):
        """POST a form (multipart when it carries ``files``), expect a redirect and follow it as a browser does."""
        fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields, doseq=True).encode(), None
        response, _data = self.request(kind, "POST", path, body=body, content_type=content_type, expect=302)
        return self.follow(follow_kind, response.getheader("Location"))

    def follow(self, kind, location):
        """GET ``location`` and any redirect it answers with, as a browser does; the final page's text."""
        for _hop in range(3):
            response, data = self.request(kind, "GET", location, expect=(200, 302))
            if response.status == 200:
                return data.decode()
            location = response.getheader("Location")
        raise Failed(f"too many redirects from {location}")

    def sign_in(self, username):
        self.get("sign-in", "/accounts/login/")
        self.post("sign-in", "/accounts/login/", {"username": username, "password": PASSWORD}, follow_kind="sign-in")
        if "sessionid" not in self.cookies:
            raise Failed(f"{username} was not signed in")


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class FormFields(html.parser.HTMLParser):
    """The fields a browser would send from the form with ``id`` (checked boxes and radios only; no buttons)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.fields.append([attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")])
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append([self.select, attrs.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def think(stop):
    stop.wait(random.uniform(*THINK_SECONDS))


def weighted(actions):
    return random.choices([name for name, _ in actions], weights=[weight for _, weight in actions])[0]


class Person(threading.Thread):
    """A signed-in person acting until ``stop`` is set; a failed step is recorded and the person goes on."""

    def __init__(self, browser, username, data, stop):
        super().__init__(daemon=True)
        self.browser, self.username, self.data, self.stop = browser, username, data, stop

    def run(self):
        while not self.stop.is_set():
            with contextlib.suppress(Failed):  # recorded as its kind's error; the person goes on
                self.act()
            think(self.stop)


class Student(Person):
    def act(self):
        course, report = self.data["course"], self.data["report"]
        action = weighted(STUDENT_ACTIONS)
        if action == "student home":
            self.browser.get(action, "/student/")
        elif action == "course page":
            self.browser.get(action, f"/courses/{course}/")
        elif action == "task page":
            self.browser.get(action, f"/courses/{course}/tasks/{random.choice(self.data['tasks'])}/")
        else:
            self.hand_in(f"/courses/{course}/tasks/{report}/")

    def hand_in(self, task_path):
        """The report's page, an old file out when there are two, a new one in, then handed in."""
        page = self.browser.get("task page", task_path)
        removable = re.findall(r'action="(/courses/\d+/tasks/\d+/draft/files/\d+/remove/)"', page)
        if len(removable) >= 2:
            think(self.stop)
            self.browser.post("remove file", removable[0], {}, follow_kind="task page")
        think(self.stop)
        mark = uuid.uuid4().hex
        upload = {"files": (f"report-{mark[:8]}.pdf", small_pdf(f"Report {mark}").encode("latin-1"))}
        self.browser.post("upload", f"{task_path}draft/files/", {}, files=upload, follow_kind="task page")
        think(self.stop)
        statement = {"own_work": "on", "deidentified": "on"}
        self.browser.post("hand in", f"{task_path}submit/", statement, follow_kind="task page")


class Instructor(Person):
    def __init__(self, *args, submissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.submissions = submissions
        self.saves = 0

    def act(self):
        course, essay = self.data["course"], self.data["essay"]
        if weighted(INSTRUCTOR_ACTIONS) == "queue":
            query = random.choice(["", "?sort=submitted", "?status=ungraded", "?group=СЖ-23-01"])
            self.browser.get("queue", f"/courses/{course}/tasks/{essay}/queue/{query.replace('СЖ', '%D0%A1%D0%96')}")
            return
        path = f"/submissions/{random.choice(self.submissions)}/grade/"
        page = self.browser.get("grading page", path)
        if random.random() < SAVE_SHARE:
            think(self.stop)
            self.save(path, page)

    def save(self, path, page):
        """The form as the page filled it, with new overall feedback: a real change, as the grader makes."""
        parser = FormFields("grade-form")
        parser.feed(page)
        fields = [field for field in parser.fields if field[0] != "csrfmiddlewaretoken"]
        if not any(name.endswith("-level") for name, _ in fields):
            return  # not graded yet: this grader only reads it
        self.saves += 1
        fields = [
            (name, f"Бағаланды, {self.username} ({self.saves})" if name == "feedback" else value)
            for name, value in fields
        ]
        self.browser.post("grade save", path, dict(fields) | {"action": "save"}, follow_kind="grading page")


class DepartmentAdmin(Person):
    def act(self):
        sort = random.choice(GRADEBOOK_SORTS)
        self.browser.get("gradebook", f"/courses/{self.data['course']}/gradebook/?sort={sort}")


class StaticProbe(Person):
    def act(self):
        self.browser.request("static (bare)", "GET", self.data["static"])


# Figures --------------------------------------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def request_cpu_by_kind(lines):
    """kind → the ``cpu_ms`` of its requests, from gunicorn's access lines (none from code that does not log it)."""
    patterns = [(method, re.compile(pattern), kind) for method, pattern, kind in KIND_BY_PATH]
    by_kind = defaultdict(list)
    for method, path, cpu_ms in lines:
        if method == "BOOT":  # a worker started (replacing one after its max_requests)
            by_kind["worker started"].append(0)
            continue
        kind = next((k for m, pattern, k in patterns if m == method and pattern.fullmatch(path)), "other")
        if cpu_ms is not None:
            by_kind[kind].append(cpu_ms)
    return by_kind


def report(rows, window, cpus, sessions, args, samples, thread_cpu):
    start, end = window
    cpu, database_cpu, client_cpu = cpus
    measured = [row for row in rows if start <= row[2] <= end]
    seconds = end - start
    everyday = [row for row in measured if row[0] != "static (bare)"]
    errors = sum(1 for row in everyday if row[3])
    durations = [(row[2] - row[1]) * 1000 for row in everyday]
    print(f"\nMeasured window: {seconds:.1f} s after a {args.warmup} s warm-up; {args.users} people + 1 static probe")
    print(f"Requests (without the probe): {len(everyday)}, {len(everyday) / seconds:.1f} requests/s")
    print(f"\n{'kind':<16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7} {'CPU ms':>7}")
    kinds = sorted({row[0] for row in measured}, key=lambda kind: (kind == "static (bare)", kind))
    for kind in kinds:
        times = [(row[2] - row[1]) * 1000 for row in measured if row[0] == kind]
        failed = sum(1 for row in measured if row[0] == kind and row[3])
        p50, p95, p99 = (percentile(times, share) for share in (0.5, 0.95, 0.99))
        cpu_ms = thread_cpu.get(kind)
        cpu_text = f"{sum(cpu_ms) / len(cpu_ms):.1f}" if cpu_ms else "–"
        print(f"{kind:<16} {len(times):>6} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} {failed:>7} {cpu_text:>7}")
    p95 = percentile(durations, 0.95)
    print(
        f"{'all but probe':<16} {len(durations):>6} {percentile(durations, 0.5):>8.0f} {p95:>8.0f} "
        f"{percentile(durations, 0.99):>8.0f} {errors:>7}"
    )
    for kind, texts in samples.items():
        for text in texts:
            print(f"  error sample ({kind}): {text}")
    per_request = cpu / len(everyday) * 1000
    print(
        f"\nWorker CPU: {cpu:.1f} s over {seconds:.1f} s ({cpu / seconds:.2f} cores), "
        f"{per_request:.1f} ms per request (probe excluded from the count)"
    )
    boots = len(thread_cpu.pop("worker started", []))
    in_requests = [value for kind, values in thread_cpu.items() if kind != "static (bare)" for value in values]
    if in_requests:
        print(
            f"  of which in the requests' own threads (access lines' cpu_ms, the CPU ms column): "
            f"{sum(in_requests) / len(in_requests):.1f} ms per request; the rest is the server's own work, with "
            f"{boots} worker{'s' if boots != 1 else ''} started in the window (each replacing one after its "
            "max_requests)"
        )
    print(
        f"Database CPU (PostgreSQL's processes): {database_cpu:.1f} s ({database_cpu / seconds:.2f} cores), "
        f"{database_cpu / len(everyday) * 1000:.1f} ms per request"
    )
    print(f"Client CPU (this script, same 2 cores): {client_cpu:.1f} s ({client_cpu / seconds:.2f} cores)")
    print(f"Database sessions opened during the window: {sessions}")
    print("\nTargets")
    print(f"  p95 ≤ {P95_TARGET_MS} ms: {p95:.0f} ms — {'met' if p95 <= P95_TARGET_MS else 'NOT met'}")
    print(f"  0 errors: {errors} — {'met' if errors == 0 else 'NOT met'}")
    if args.before_cpu_ms:
        target = args.before_cpu_ms / 2
        verdict = "met" if per_request <= target else "NOT met"
        print(
            f"  CPU per request ≤ half of before ({args.before_cpu_ms:.1f} ms → ≤ {target:.1f} ms): "
            f"{per_request:.1f} ms — {verdict}"
        )
    else:
        print("  CPU per request ≤ half of before: give --before-cpu-ms to compare")


def sign_in_all(people, recorder):
    """Sign everyone in, eight at a time (as a lab in the morning); the times are reported apart."""
    queue = list(people)
    lock = threading.Lock()
    failures = []

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                person = queue.pop()
            try:
                person.browser.sign_in(person.username)
            except Failed as error:
                failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"sign-in failed: {failures[0]}")
    times = [(row[2] - row[1]) * 1000 for row in recorder.rows if row[0] == "sign-in"]
    print(
        f"Sign-in of {len(people)} people ({len(times)} requests): p50 {percentile(times, 0.5):.0f} ms, "
        f"p95 {percentile(times, 0.95):.0f} ms (not in the figures below)"
    )
    recorder.rows.clear()


def cast(data, args, recorder, stop):
    """The 50 people: one department admin, ``--instructors`` instructors on slices of the class, students."""

    def browser():
        return Browser(args.port, recorder)

    people = [DepartmentAdmin(browser(), "deptadmin1", data, stop)]
    instructors = data["instructors"]
    for index, username in enumerate(instructors):
        share = data["submissions"][index :: len(instructors)]
        people.append(Instructor(browser(), username, data, stop, submissions=share))
    for username in data["students"][: args.users - len(people)]:
        people.append(Student(browser(), username, data, stop))
    return people


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--instructors", type=int, default=9)
    parser.add_argument("--extra-students", type=int, default=300)
    parser.add_argument(
        "--workers", type=int, default=0, help="WEB_CONCURRENCY (default: the configuration's, two a core plus one)"
    )
    parser.add_argument("--threads", type=int, default=0, help="GUNICORN_THREADS (default: the configuration's)")
    parser.add_argument("--database", default="bench_load")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tree", type=Path, default=ROOT, help="serve the code of this checkout (this venv)")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/8",
        help="CACHE_URL for the server (emptied first; 'none': each process's own memory)",
    )
    parser.add_argument("--before-cpu-ms", type=float, default=None, help="CPU ms per request before, to compare")
    args = parser.parse_args()
    tree = args.tree.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        env = server_env(args, tmp)
        started = time.monotonic()
        data = prepare(args, tree, env)
        data["static"] = static_path(tmp)
        print(
            f"Code: {tree}; database {args.database}: {len(data['students'])} students in the course, "
            f"{len(data['submissions'])} essays handed in, {data['grades']} graded "
            f"(setup {time.monotonic() - started:.0f} s)"
        )
        print(
            f"gunicorn: config/gunicorn.conf.py, WEB_CONCURRENCY={env['WEB_CONCURRENCY']}, "
            f"GUNICORN_THREADS={args.threads or 'default'}, DJANGO_DEBUG=0, log {tmp / 'gunicorn.log'}"
        )
        with Server(tree, env, tmp / "gunicorn.log") as server:
            recorder, stop = Recorder(), threading.Event()
            people = cast(data, args, recorder, stop)
            sign_in_all(people, recorder)
            people.append(StaticProbe(Browser(args.port, recorder), "probe", data, stop))
            for person in people:
                person.start()
            time.sleep(args.warmup)
            cpu_before, sessions_before = server.worker_cpu_seconds(), database_sessions(args.database)
            log_before = server.log_size()
            database_before = database_cpu_ticks()
            client_before = resource.getrusage(resource.RUSAGE_SELF)
            window_start = time.monotonic()
            time.sleep(args.seconds)
            window_end = time.monotonic()
            cpu = server.worker_cpu_seconds() - cpu_before
            thread_cpu = request_cpu_by_kind(server.access_lines(log_before, server.log_size()))
            database_cpu = database_cpu_seconds(database_before, database_cpu_ticks())
            client_after = resource.getrusage(resource.RUSAGE_SELF)
            sessions = database_sessions(args.database) - sessions_before
            memory = server.worker_memory_mb()
            stop.set()
            for person in people:
                person.join(timeout=60)
        client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
        cpus = (cpu, database_cpu, client_cpu)
        report(recorder.rows, (window_start, window_end), cpus, sessions, args, recorder.samples, thread_cpu)
        if memory:
            print(f"Workers' resident memory at the window's end: {min(memory):.0f}–{max(memory):.0f} MiB")
    finally:
        if os.environ.get("LOAD_KEEP_TMP"):
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
