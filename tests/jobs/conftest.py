"""Fixtures of the jobs' tests: graded work, and a real queue (Redis database 3, Celery workers started on demand)
for the tests that run jobs as production does."""

import pytest
import redis

from config.celery import app as celery_app
from tests.grading.conftest import GOOD_PICKS, essay, grade_of, hand_in, rubric, scores_for  # noqa: F401 — fixtures
from tests.multi.conftest import database_url
from tests.servers import celery_worker_start, server_env, stop

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def graded_both(cast, essay):  # noqa: F811 — the fixture imported above
    """The student's and the classmate's essays graded; neither released."""
    for student in (cast.student, cast.classmate):
        grade_of(hand_in(essay, student), grader=cast.instructor, scores=scores_for(essay.rubric, GOOD_PICKS))
    return cast


@pytest.fixture
def broker(settings):
    """The tests' process sends jobs to Redis (it runs none itself)."""
    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.CELERY_BROKER_URL = REDIS_URL
    before = {"broker_url": celery_app.conf.broker_url, "task_always_eager": celery_app.conf.task_always_eager}
    celery_app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    yield REDIS_URL
    celery_app.conf.update(**before)


@pytest.fixture
def worker_env(settings, tmp_path):
    storage = settings.STORAGES["default"]["OPTIONS"]["location"]
    return server_env(
        DATABASE_URL=database_url(), PRIVATE_STORAGE_ROOT=storage, DJANGO_DEBUG=1, CELERY_BROKER_URL=REDIS_URL
    )


@pytest.fixture
def workers(worker_env, tmp_path):
    """Start workers on demand; every one started is stopped when the test ends."""
    started = []

    def start(name="worker"):
        started.append(celery_worker_start(worker_env, tmp_path, name=name))
        return started[-1]

    yield start
    for process in started:
        stop(process)
