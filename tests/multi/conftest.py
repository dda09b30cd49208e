"""The portal as a university runs it: gunicorn processes against the pytest PostgreSQL database, one private storage
and one Redis shared by all of them. The tests' own process writes the data (transactional tests, so it is
committed) and reads what the servers wrote; the servers see only their environment.

Passwords are stored with PBKDF2 (the servers do not accept the tests' fast MD5 hashes) at few iterations: the
first sign-in verifies cheaply and the server hashes the password again at its full cost, as it would an account
from an older Django."""

import datetime as dt
import re
import secrets
from decimal import Decimal
from urllib.parse import quote

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from demo.portfolios import make_docx
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from portfolio import services as portfolio_services
from portfolio.services import task_set_deadline
from tests.conftest import PASSWORD
from tests.grading.conftest import GOOD_PICKS
from tests.servers import server_env

REDIS_URL = "redis://127.0.0.1:6379/14"


def database_url():
    """The address of the database this test run writes to (pytest's test database, not the configured one)."""
    database = connection.settings_dict
    password = f":{quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    host = database["HOST"] or "127.0.0.1"
    port = database["PORT"] or 5432
    return f"postgres://{quote(database['USER'])}{password}@{host}:{port}/{database['NAME']}"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, django_db_setup):
    """What every server of the deployment shares: the environment (database, storage, secret key, broker) and a
    folder for the storage and the servers' logs. Redis's database for the tests is emptied first."""
    folder = tmp_path_factory.mktemp("deployment")
    redis.Redis.from_url(REDIS_URL).flushdb()
    env = server_env(
        DATABASE_URL=database_url(),
        PRIVATE_STORAGE_ROOT=folder / "private",
        SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_DEBUG=1,
        DB_CONN_MAX_AGE=60,
        CELERY_BROKER_URL=REDIS_URL,
        LOG_LEVEL="WARNING",
    )
    return {"env": env, "folder": folder, "storage": folder / "private"}


@pytest.fixture(autouse=True)
def _shared_storage(settings, deployment):
    """The tests' process stores files where the servers read them."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": deployment["storage"], "base_url": None}},
    }


def usable_on_servers(*users):
    """Give the users the cast's password in a hash the servers accept."""
    for user in users:
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8), iterations=1000)
        user.save(update_fields=["password"])


def open_task(cast, *, rubric=True):
    """СОӨЖ 1, due in a week (so hand-ins are on time whenever the test runs), with the seed essay rubric and 20
    points."""
    task = cast.tasks["СОӨЖ 1"]
    task_set_deadline(task=task, due_at_override=timezone.now() + dt.timedelta(days=7), cutoff_at=None)
    if rubric:
        letter_scale_ensure()
        task.rubric = essay_rubric_ensure()
        task.max_points = Decimal(20)
        task.save(update_fields=["rubric", "max_points"])
    return task


def handed_in(task, student):
    """The student's essay handed in through the services, as the hand-in page does."""
    upload = SimpleUploadedFile("эссе.docx", make_docx(["Кейс-менеджменттің даму тарихы"]))
    return portfolio_services.draft_submit(task=task, student=student, uploads=[upload], statement_accepted=True)


def grade_form(task, *, first_points, feedback, lock_version):
    """The grading form as a grader fills it: a level per criterion of the seed rubric (GOOD_PICKS), the first
    criterion's points ``first_points`` (inside its level), and ``feedback``."""
    data = {"lock_version": lock_version, "feedback": feedback, "originality_percent": "", "originality_checker": ""}
    criteria = task.rubric.criteria.prefetch_related("levels").order_by("position")
    for index, (criterion, (level_title, points, _comment)) in enumerate(zip(criteria, GOOD_PICKS, strict=True)):
        level = next(level for level in criterion.levels.all() if level.title == level_title)
        data[f"c{criterion.pk}-level"] = level.pk
        data[f"c{criterion.pk}-points"] = first_points if index == 0 else points
        data[f"c{criterion.pk}-comment"] = ""
    return data


def lock_version_shown(page):
    """The lock version the grading page's form carries."""
    found = re.search(r'name="lock_version" value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="lock_version"', page
    )
    assert found, "the grading page carries no lock version"
    return int(found.group(1))
