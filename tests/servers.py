"""Real servers for tests that need the portal as it runs in production: gunicorn and a Celery worker started as
processes of their own (each in its own process group, so a test can kill the whole group), and an HTTP client that
signs in through the sign-in form and posts forms and files as a browser does, with its own cookies and CSRF token.

The processes get the environment the test gives them (database, storage, broker) and read nothing of the test's
own settings: what they serve is what a deployment would."""

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port():
    """A port of 127.0.0.1 that nothing listens on (the system's choice, so parallel runs do not collide)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def manage(env, *args):
    """Run ``manage.py`` with ``env``; its output, asserting it succeeded."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def server_env(**variables):
    """The test's environment without what would make a child read the test's settings instead of its own, plus
    ``variables``."""
    env = {**os.environ, **{name: str(value) for name, value in variables.items()}}
    for name in ("DJANGO_SETTINGS_MODULE", "FILE_UPLOAD_TEMP_DIR"):
        if name not in variables:
            env.pop(name, None)
    return env


@dataclass
class Process:
    """A child in a process group of its own, its output in ``log``."""

    popen: subprocess.Popen
    log: Path
    port: int | None = None

    @property
    def pid(self):
        return self.popen.pid

    def output(self):
        return self.log.read_text(errors="replace")


def _spawn(command, env, log):
    with open(log, "wb") as output:
        popen = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    return popen


def _wait(process, ready, what, timeout):
    deadline = time.monotonic() + timeout
    while not ready():
        if process.popen.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise AssertionError(f"{what} did not start:\n{process.output()[-3000:]}")
        time.sleep(0.1)
    return process


def gunicorn_start(env, folder, *, workers=1, threads=1, timeout=60):
    """gunicorn serving ``config.wsgi`` on a free port, returned once it accepts connections."""
    port = free_port()
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
    ]
    log = Path(folder) / f"gunicorn-{port}.log"
    process = Process(_spawn(command, env, log), log, port)
    return _wait(process, lambda: accepts(port), "gunicorn", 30)


def celery_worker_start(env, folder, *, concurrency=1, name="worker"):
    """``celery -A config worker``, returned once it says it is ready to take jobs."""
    log = Path(folder) / f"celery-{name}-{uuid.uuid4().hex[:8]}.log"
    command = [
        str(BIN / "celery"),
        "-A",
        "config",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        str(concurrency),
        "--hostname",
        f"{name}-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    process = Process(_spawn(command, env, log), log)
    return _wait(process, lambda: " ready." in process.output(), "the Celery worker", 60)


def stop(process, *, grace=10):
    """SIGTERM to the process's whole group, then SIGKILL if it has not ended within ``grace`` seconds."""
    if process.popen.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.popen.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            kill(process)
    # Children the leader left behind (gunicorn's workers, Celery's pool) share its group.
    _signal_group(process, signal.SIGKILL)


def kill(process):
    """SIGKILL to the process's whole group, as a machine that loses power or an OOM killer would."""
    _signal_group(process, signal.SIGKILL)
    process.popen.wait(timeout=10)


def _signal_group(process, signum):
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self):
        """The redirect's path (and query), whichever server it names."""
        parts = urlsplit(self.headers.get("Location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def json(self):
        return json.loads(self.body)


@dataclass
class Client:
    """One browser: its cookies (session, CSRF token, language) go with every request, to whichever server
    ``port`` names, so the same session can be carried from one server to another."""

    port: int
    cookies: dict = field(default_factory=dict)
    timeout: float = 60

    def cookie_header(self):
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(self, method, path, body=b"", headers=None, *, port=None):
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=self.timeout)
        try:
            sent = {**(headers or {})}
            if self.cookies:
                sent["Cookie"] = self.cookie_header()
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            result = Response(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in result.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return result

    def get(self, path, **options):
        return self.request("GET", path, **options)

    def post(self, path, data=(), files=(), **options):
        """POST ``data`` (a dict or pairs) as a form, as multipart if there are ``files`` ((field, name, bytes,
        content type) each), with the CSRF token as both the form field and the header."""
        token = self.cookies.get("csrftoken")
        if token is None:
            raise AssertionError("no CSRF cookie yet: GET a page with a form first")
        pairs = [*(data.items() if isinstance(data, dict) else data), ("csrfmiddlewaretoken", token)]
        headers = {"X-CSRFToken": token}
        if files:
            body, headers["Content-Type"] = multipart(pairs, files)
        else:
            body, headers["Content-Type"] = urlencode(pairs).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body, headers, **options)

    def sign_in(self, username, password):
        """Sign in through the sign-in form; the client, signed in."""
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": password})
        assert response.status == 302 and "sessionid" in self.cookies, f"{username} was not signed in"
        return self


def multipart(pairs, files):
    """The body and content type of a multipart form holding ``pairs`` and ``files``."""
    boundary = f"portal{uuid.uuid4().hex}"
    parts = []
    for name, value in pairs:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content, content_type in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
