"""Measure portfolio uploads and queue ZIP downloads through a real gunicorn worker.

Run from the project root:  .venv/bin/python bench/portfolio.py

Everything happens in a throwaway directory (SQLite database, private storage, the files sent) that is deleted at
the end, together with the gunicorn server the script starts. The script measures and prints; it asserts no
target. It exits non-zero only when a measurement could not be made (the upload was not stored, the ZIP is short).

1. Upload: student1 sends a 50 MiB PDF to the draft-upload view, streamed from disk in 1 MiB pieces. Printed:
   time, throughput, and the worker's peak RSS (VmHWM) before and after, against the target of <= 10 MiB growth.
2. ZIP: 200 more students hand in a 200 KiB PDF each for the same task; instructor1 downloads the task's queue
   ZIP, read in pieces of at most 64 KiB and never kept. Printed: entries, bytes, time to first byte, total
   time, throughput and the worker's peak RSS before and after.

Before each measured request the worker's peak RSS is reset to its current RSS (``/proc/<pid>/clear_refs``,
value 5) when the kernel allows it, so "growth" is the request's own peak above the resting RSS, not hidden by an
earlier, higher peak. The script says whether the reset worked.
"""

import hashlib
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

MIB = 1024 * 1024
KIB = 1024
PASSWORD = "demo-pass-2025"
COURSE_CODE = "CM-7B11401"
TASK_LABEL = "СОӨЖ 1"
PDF_HEADER = b"%PDF-1.4\n"

UPLOAD_SIZE = 50 * MIB
UPLOAD_CHUNK = MIB
GROWTH_TARGET = 10 * MIB
EXTRA_STUDENTS = 200
EXTRA_FILE_SIZE = 200 * KIB
ZIP_READ = 64 * KIB
MIN_ZIP_ENTRIES = 200


# Code run inside `manage.py shell -c`. Each snippet reads PARAMS and ends with emit(result).

SHELL_PRELUDE = """
import json
PARAMS = json.loads({params!r})
def emit(result):
    print("BENCH_JSON " + json.dumps(result))
"""

LOOKUP_CODE = """
from coursework.models import Task
task = Task.objects.get(course__code=PARAMS["course"], label=PARAMS["task"])
emit({"course": task.course_id, "task": task.pk})
"""

VERIFY_UPLOAD_CODE = """
import hashlib
from portfolio.models import SubmissionFile
rows = SubmissionFile.objects.filter(
    version__submission__task_id=PARAMS["task"],
    version__submission__student__username=PARAMS["username"],
    size=PARAMS["size"],
    sha256=PARAMS["sha256"],
)
row = rows.order_by("-pk").first()
stored = None
if row is not None:
    digest = hashlib.sha256()
    with row.file.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    stored = digest.hexdigest()
emit({
    "rows": rows.count(),
    "stored_sha256": stored,
    "state": row.version.state if row else None,
    "name": row.original_name if row else None,
})
"""

SEED_CODE = """
import os
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from accounts.models import Role, User
from coursework.models import Task, Enrollment
from portfolio import services
from portfolio.models import Version

task = Task.objects.select_related("course").get(course__code=PARAMS["course"], label=PARAMS["task"])
course = task.course
groups = sorted(set(Enrollment.objects.filter(course=course).values_list("academic_group", flat=True)))[:2]
header = PARAMS["header"].encode("latin-1")
for number in range(1, PARAMS["count"] + 1):
    with transaction.atomic():
        student = User.objects.create_user(
            f"bench{number:03d}",
            role=Role.STUDENT,
            department=course.department,
            last_name=f"Өлшемов-{number:03d}",
            first_name="Бенчмарк",
        )
        Enrollment.objects.create(course=course, student=student, academic_group=groups[number % len(groups)])
    content = header + os.urandom(PARAMS["size"] - len(header))
    upload = SimpleUploadedFile(f"Эссе_{number:03d}.pdf", content)
    services.draft_add_files(task=task, student=student, uploads=[upload])
    services.draft_submit(task=task, student=student, statement_accepted=True)
emit({
    "groups": groups,
    "latest_submitted": Version.objects.latest_submitted().filter(submission__task=task).count(),
})
"""


# Environment, subprocesses, the server --------------------------------------------------------------------------


def bench_env(tmp):
    """The environment for manage.py and gunicorn: everything points into the throwaway directory."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        PRIVATE_STORAGE_ROOT=str(tmp / "private"),
        DJANGO_DEBUG="1",
        PORTFOLIO_MAX_FILE_MB="100",
        PORTFOLIO_MAX_SUBMISSION_MB="300",
    )
    return env


def manage(env, *args):
    """Run a manage.py command in the project root with the bench environment; return its standard output."""
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def shell(env, code, **params):
    """Run ``code`` in `manage.py shell -c` with ``params`` as PARAMS; return what it passed to emit()."""
    script = SHELL_PRELUDE.format(params=json.dumps(params)) + code
    for line in manage(env, "shell", "-c", script).splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise RuntimeError("the shell snippet emitted no result")


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with one sync worker, started as a context manager and always stopped on the way out."""

    def __init__(self, env, log_path):
        self.env = env
        self.log_path = log_path
        self.port = free_port()
        self.process = None
        self.worker_pid = None

    def __enter__(self):
        options = ["--workers", "1", "--worker-class", "sync", "--timeout", "300"]
        command = [str(GUNICORN), "config.wsgi", *options, "--bind", f"127.0.0.1:{self.port}"]
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def _wait_until_ready(self, timeout=30):
        """Wait until the port accepts connections and the master has exactly one worker child."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early:\n{self.log_tail()}")
            children = self._children()
            if len(children) == 1 and self._accepts():
                self.worker_pid = children[0]
                return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not come up in {timeout} s:\n{self.log_tail()}")

    def _children(self):
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def _accepts(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self):
        """SIGTERM to the master (which stops its worker), SIGKILL if it has not gone after 30 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines=30):
        try:
            return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


# Worker memory --------------------------------------------------------------------------------------------------


def memory(pid):
    """The process's peak (VmHWM) and current (VmRSS) resident set size, in bytes."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            figures[key] = int(value.split()[0]) * 1024
    return figures


def reset_peak(pid):
    """Reset the process's VmHWM to its current RSS; False if the kernel refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


# HTTP client ----------------------------------------------------------------------------------------------------


class Client:
    """A minimal browser over http.client: one connection per request, a cookie jar, the CSRF token."""

    def __init__(self, port):
        self.host = "127.0.0.1"
        self.port = port
        self.cookies = {}

    @property
    def origin(self):
        return f"http://{self.host}:{self.port}"

    @property
    def csrf_token(self):
        return self.cookies.get("csrftoken", "")

    def _headers(self, extra=None):
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        headers.update(extra or {})
        return headers

    def _remember(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def open(self, method, path, headers=None):
        """Send the request line and headers; the caller sends any body and calls finish()."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=300)
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in self._headers(headers).items():
            connection.putheader(name, value)
        connection.endheaders()
        return connection

    def finish(self, connection):
        """The response to a request sent with open(); its cookies go to the jar."""
        response = connection.getresponse()
        self._remember(response)
        return response

    def request(self, method, path, body=b"", headers=None):
        """A whole small request; returns (status, headers, body)."""
        extra = dict(headers or {})
        if method == "POST":
            extra["Content-Length"] = str(len(body))
        connection = self.open(method, path, extra)
        try:
            if body:
                connection.send(body)
            response = self.finish(connection)
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def login(self, username):
        """Sign in through the login form like a browser: fetch the CSRF cookie, post the form."""
        self.cookies.clear()
        status, _headers, _body = self.request("GET", "/accounts/login/")
        if status != 200 or not self.csrf_token:
            raise RuntimeError(f"GET /accounts/login/ gave {status} and no csrftoken")
        form = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf_token})
        status, headers, _body = self.request(
            "POST",
            "/accounts/login/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{self.origin}/accounts/login/"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"signing in as {username} gave {status} (Location: {headers.get('Location')})")

    def get_page(self, path):
        """GET a page and insist on 200 (used to warm the worker up)."""
        status, _headers, _body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} gave {status}")


def multipart_envelope(boundary, fields, file_field, filename, content_type):
    """The bytes before and after a single file's content in a multipart/form-data body."""
    head = b""
    for name, value in fields.items():
        head += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    head += (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return head, tail


def post_file(client, path, file_path, filename):
    """POST one file from disk as multipart/form-data, streamed in UPLOAD_CHUNK pieces; returns (response, s)."""
    boundary = f"bench{uuid.uuid4().hex}"
    head, tail = multipart_envelope(
        boundary, {"csrfmiddlewaretoken": client.csrf_token}, "files", filename, "application/pdf"
    )
    length = len(head) + file_path.stat().st_size + len(tail)
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
        "X-CSRFToken": client.csrf_token,
        "Referer": f"{client.origin}{path}",
    }
    started = time.perf_counter()
    connection = client.open("POST", path, headers)
    try:
        connection.send(head)
        with open(file_path, "rb") as source:
            while chunk := source.read(UPLOAD_CHUNK):
                connection.send(chunk)
        connection.send(tail)
        response = client.finish(connection)
        response.read()
        return response, time.perf_counter() - started
    finally:
        connection.close()


def stream_get(client, path, sink=None):
    """GET ``path`` reading the body ZIP_READ bytes at a time; hash and count it, write it to ``sink`` if given.

    Returns status, byte count, SHA-256, time to the first body byte and total time (both from sending the request).
    """
    digest = hashlib.sha256()
    total = 0
    first_byte = None
    started = time.perf_counter()
    connection = client.open("GET", path)
    try:
        response = client.finish(connection)
        while chunk := response.read1(ZIP_READ):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            total += len(chunk)
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
        elapsed = time.perf_counter() - started
        return response.status, total, digest.hexdigest(), first_byte, elapsed
    finally:
        connection.close()


# Files ----------------------------------------------------------------------------------------------------------


def write_random_pdf(path, size):
    """Write a file of ``size`` bytes: a PDF header, then random bytes, 1 MiB at a time. Returns its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as target:
        written = 0
        while written < size:
            chunk = os.urandom(min(UPLOAD_CHUNK, size - written))
            if written == 0:
                chunk = PDF_HEADER + chunk[len(PDF_HEADER) :]
            target.write(chunk)
            digest.update(chunk)
            written += len(chunk)
    return digest.hexdigest()


# Reporting ------------------------------------------------------------------------------------------------------


def mib(value):
    return f"{value / MIB:.1f} MiB"


def measure_around(pid, action):
    """Run ``action`` between two readings of the worker's memory, the peak reset to the current RSS first.

    Returns the action's result and the memory readings: lifetime (before the reset), before and after.
    """
    lifetime = memory(pid)
    reset = reset_peak(pid)
    before = memory(pid)
    result = action()
    after = memory(pid)
    return result, {"lifetime": lifetime, "reset": reset, "before": before, "after": after}


def print_memory(readings):
    """Print the worker's peak and current RSS around a request, and the growth of the peak; return the growth."""
    lifetime, before, after = readings["lifetime"], readings["before"], readings["after"]
    print(f"  worker VmHWM lifetime before the request: {mib(lifetime['VmHWM'])}")
    if readings["reset"]:
        note = "after resetting the peak to the current RSS"
    else:
        note = "clear_refs refused, so this is the lifetime peak"
    print(f"  worker VmHWM before:  {mib(before['VmHWM'])} ({note}); VmRSS {mib(before['VmRSS'])}")
    print(f"  worker VmHWM after:   {mib(after['VmHWM'])}; VmRSS {mib(after['VmRSS'])}")
    growth = after["VmHWM"] - before["VmHWM"]
    print(f"  peak RSS growth:      {mib(growth)}")
    return growth


# The two measurements -------------------------------------------------------------------------------------------


def bench_upload(env, server, tmp, ids):
    """Measure one 50 MiB upload through the draft-upload view. Returns True if the file was stored intact."""
    print(f"\n1. Upload of a {mib(UPLOAD_SIZE)} PDF through the draft-upload view (student1)")
    client = Client(server.port)
    client.login("student1")
    task_path = f"/courses/{ids['course']}/tasks/{ids['task']}/"
    client.get_page(task_path)

    file_path = tmp / "upload.pdf"
    sha256 = write_random_pdf(file_path, UPLOAD_SIZE)

    (response, elapsed), readings = measure_around(
        server.worker_pid, lambda: post_file(client, f"{task_path}draft/files/", file_path, "bench-50MiB.pdf")
    )
    file_path.unlink()

    check = shell(env, VERIFY_UPLOAD_CODE, task=ids["task"], username="student1", size=UPLOAD_SIZE, sha256=sha256)
    stored = check["rows"] >= 1 and check["stored_sha256"] == sha256
    print(f"  response:             {response.status} -> {response.headers.get('Location')}")
    print(
        f"  stored:               {'yes' if stored else 'NO'} ({check['rows']} row(s) of {UPLOAD_SIZE} bytes with "
        f"SHA-256 {sha256[:16]}…, stored file hashes {'equal' if stored else 'DIFFERENT or missing'}, "
        f"version state {check['state']})"
    )
    print(f"  upload time:          {elapsed:.2f} s")
    print(f"  throughput:           {UPLOAD_SIZE / MIB / elapsed:.1f} MiB/s")
    growth = print_memory(readings)
    verdict = "met" if growth <= GROWTH_TARGET else "NOT met"
    print(f"  target: growth <= {mib(GROWTH_TARGET)}: {verdict}")
    client_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(f"  (client process peak RSS so far: {mib(client_peak)})")
    return stored


def bench_zip(env, server, tmp, ids):
    """Hand in 200 more submissions, then measure the queue ZIP download. Returns True if the ZIP is complete."""
    print(f"\n2. Queue ZIP of {EXTRA_STUDENTS} more submissions of {EXTRA_FILE_SIZE // KIB} KiB (instructor1)")
    started = time.perf_counter()
    seeded = shell(
        env,
        SEED_CODE,
        course=COURSE_CODE,
        task=TASK_LABEL,
        count=EXTRA_STUDENTS,
        size=EXTRA_FILE_SIZE,
        header=PDF_HEADER.decode("latin-1"),
    )
    print(
        f"  seeded:               {EXTRA_STUDENTS} students in {', '.join(seeded['groups'])}; "
        f"{seeded['latest_submitted']} latest submitted versions in the task ({time.perf_counter() - started:.1f} s)"
    )

    client = Client(server.port)
    client.login("instructor1")
    queue_path = f"/courses/{ids['course']}/tasks/{ids['task']}/queue/"
    client.get_page(queue_path)

    (status, total, _sha256, first_byte, elapsed), readings = measure_around(
        server.worker_pid, lambda: stream_get(client, f"{queue_path}download/")
    )

    zip_path = tmp / "queue.zip"
    with open(zip_path, "wb") as sink:
        status_again, total_again, *_ = stream_get(client, f"{queue_path}download/", sink)
    with zipfile.ZipFile(zip_path) as archive:
        entries = len(archive.infolist())
        damaged = archive.testzip()
    zip_path.unlink()

    print(f"  response:             {status} (second download {status_again}, {total_again} bytes)")
    print(f"  entries:              {entries} (CRC check: {'ok' if damaged is None else f'BAD at {damaged}'})")
    print(f"  total bytes:          {total} ({mib(total)})")
    print(f"  time to first byte:   {first_byte * 1000:.0f} ms" if first_byte is not None else "  no body")
    print(f"  total time:           {elapsed:.2f} s")
    print(f"  throughput:           {total / MIB / elapsed:.1f} MiB/s")
    print_memory(readings)
    return status == 200 and entries >= MIN_ZIP_ENTRIES and damaged is None


def main():
    """Set up the throwaway project state, run both measurements, and clean up whatever happens."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-portfolio-"))
    ok = False
    try:
        env = bench_env(tmp)
        started = time.perf_counter()
        manage(env, "migrate", "-v0")
        manage(env, "load_demo")
        ids = shell(env, LOOKUP_CODE, course=COURSE_CODE, task=TASK_LABEL)
        print(f"Throwaway state in {tmp}: migrated and demo loaded in {time.perf_counter() - started:.1f} s")
        print(f"Course {COURSE_CODE} is #{ids['course']}, task {TASK_LABEL} is #{ids['task']}")
        with Gunicorn(env, tmp / "gunicorn.log") as server:
            print(f"gunicorn on 127.0.0.1:{server.port}, master {server.process.pid}, worker {server.worker_pid}")
            try:
                uploaded = bench_upload(env, server, tmp, ids)
                zipped = bench_zip(env, server, tmp, ids)
                ok = uploaded and zipped
            except BaseException:
                print(f"--- gunicorn log ---\n{server.log_tail()}", file=sys.stderr)
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nMeasurements {'complete' if ok else 'INCOMPLETE: see above'}; {tmp} removed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
