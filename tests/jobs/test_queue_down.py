"""A broker that is down or silent (a hung Redis, a failover in progress) costs a page at most about a second, once:
the file is made in the request and its page says so, and this process does not try that broker again for a while.
No worker, no real Redis: a port that refuses, and one that accepts connections and never answers."""

import socket
import threading
import time

import pytest
from django.urls import reverse

from config import celery as queue
from jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Point the portal at ``url`` as its broker, with nothing remembered of earlier failures."""
    monkeypatch.setattr(queue, "_unreachable_until", {})

    def point(url):
        settings.CELERY_BROKER_URL = url
        monkeypatch.setitem(queue.app.conf, "broker_url", url)
        monkeypatch.setitem(queue.app.conf, "task_always_eager", False)

    return point


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    threading.Thread(target=lambda: held.extend(listener.accept() for _ in range(16)), daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def refused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again: connecting is refused


@pytest.mark.parametrize("how", ["silent", "refused"])
def test_a_broker_down_costs_the_first_request_a_second_and_the_next_nothing(
    login, cast, broker_at, silent_port, how, django_capture_on_commit_callbacks
):
    port = silent_port if how == "silent" else refused_port()
    broker_at(f"redis://127.0.0.1:{port}/0")
    client = login(cast.instructor)
    url = reverse("jobs:course_export", args=[cast.course.pk, "xlsx"])

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):  # the request's commit, within the test's transaction
        response = client.post(url)
    first = time.monotonic() - started
    page = client.get(response["Location"]).content.decode()
    job = Job.objects.get()
    assert (job.state, job.ran_in_request) == (Job.State.DONE, True)
    assert "data-ran-in-request" in page

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("jobs:course_export", args=[cast.course.pk, "pdf"]))
    second = time.monotonic() - started
    assert Job.objects.filter(ran_in_request=True).count() == 2
    # The first waited for the broker (about BROKER_TIMEOUT), the second did not try it; both also made the file.
    assert first < 3 * queue.BROKER_TIMEOUT + 3, f"the first request waited {first:.1f} s"
    assert second < first + 2
    started = time.monotonic()
    assert not queue.queued(object(), "not sent")  # remembered as unreachable: not even tried
    assert time.monotonic() - started < 0.1
