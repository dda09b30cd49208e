"""Requests of one student that change a draft or hand it in at the same moment (two tabs, a double click): each
runs in its own thread with its own database connection, and whatever order the database puts them in, a version
holds exactly the files its draft held when it was frozen, every row's file is in storage, and the loser is told
why (a ValidationError, a message on the page), never a server error.

They mean something only where rows are really locked, so they run on PostgreSQL alone."""

import datetime as dt
import random
import threading
import time
from functools import partial
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from coursework.models import Enrollment
from portfolio import services
from portfolio.models import Submission, SubmissionFile, Version
from tests.conftest import make_user
from tests.portfolio.conftest import BEFORE, PDF, docx, pdf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and concurrent transactions need PostgreSQL"
    ),
]

TRIALS = 30


def at_once(*actions, spread=0.0):
    """Run each action in its own thread, started together (each after a random pause of up to ``spread`` seconds,
    so the race lands at different points of the slower one); what each returned, or the ValidationError it raised.
    Anything else a thread raised fails the test."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            time.sleep(random.uniform(0, spread))  # noqa: S311 — a jitter, not a secret
            outcomes[index] = action()
        except ValidationError as error:
            outcomes[index] = error
        except BaseException as error:  # reported below, in the test's own thread
            outcomes[index] = RuntimeError(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, action)) for index, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request never finished: a lock was never released"
    unexpected = [outcome for outcome in outcomes if isinstance(outcome, RuntimeError)]
    assert not unexpected, unexpected
    return outcomes


def new_student(cast, name):
    student = make_user(name, "student", cast.department, last_name=name)
    Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-01")
    return student


def stored_names():
    root = Path(default_storage.location)
    if not root.exists():
        return set()
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def assert_whole(student):
    """Every submitted version of the student holds a file, and every row's file is in storage."""
    for version in Version.objects.filter(submission__student=student, state=Version.State.SUBMITTED):
        assert version.files.exists(), f"version {version.number} was handed in without its files"
    rows = set(SubmissionFile.objects.filter(version__submission__student=student).values_list("file", flat=True))
    missing = rows - stored_names()
    assert not missing, f"rows whose stored file is missing: {missing}"


def test_a_file_removed_while_the_draft_is_handed_in_ends_in_the_version_or_in_neither(cast, essay):
    for trial in range(TRIALS):
        student = new_student(cast, f"remover{trial}")
        draft = services.draft_add_files(task=essay, student=student, uploads=[docx()], now=BEFORE)
        staged = draft.files.get()
        removed, submitted = at_once(
            partial(services.draft_remove_file, submission_file=staged, now=BEFORE),
            partial(services.draft_submit, task=essay, student=student, statement_accepted=True, now=BEFORE),
            spread=0.02,
        )
        assert_whole(student)
        if isinstance(submitted, ValidationError):
            # The removal came first: nothing was left to hand in.
            assert submitted.code == "empty_draft" and not isinstance(removed, ValidationError)
            assert not SubmissionFile.objects.filter(version__submission__student=student).exists()
        else:
            # The hand-in came first: the removal found the file handed in, and the version keeps it.
            assert isinstance(removed, ValidationError) and removed.code == "gone"
            assert list(submitted.files.values_list("pk", flat=True)) == [staged.pk]


def test_files_uploaded_while_the_draft_is_handed_in_go_wholly_into_a_version_or_the_next_draft(cast, essay):
    for trial in range(10):
        student = new_student(cast, f"uploader{trial}")
        if trial % 2:  # half the time the student has handed in before, so a new draft starts from copies
            services.draft_add_files(task=essay, student=student, uploads=[docx("бірінші.docx")], now=BEFORE)
            services.draft_submit(task=essay, student=student, statement_accepted=True, now=BEFORE)
        upload = partial(services.draft_add_files, task=essay, student=student, now=BEFORE)
        hand_in = partial(services.draft_submit, task=essay, student=student, statement_accepted=True, now=BEFORE)
        outcomes = at_once(
            *(partial(upload, uploads=[docx(name)]) for name in ("а.docx", "ә.docx", "б.docx")),
            *(partial(hand_in, uploads=[pdf(name)]) for name in ("в.pdf", "г.pdf")),
            spread=0.02,
        )
        assert_whole(student)
        submission = Submission.objects.get(task=essay, student=student)
        assert submission.versions.filter(state=Version.State.DRAFT).count() <= 1
        numbers = list(submission.versions.values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        # Every upload that was accepted is somewhere, once; nothing refused was kept.
        kept = list(
            SubmissionFile.objects.filter(version__submission=submission).values_list("original_name", flat=True)
        )
        for name, outcome in zip(("а.docx", "ә.docx", "б.docx", "в.pdf", "г.pdf"), outcomes, strict=True):
            assert (name in kept) != isinstance(outcome, ValidationError), (name, outcome)
        # Nothing is in storage that no row names.
        assert stored_names() >= set(SubmissionFile.objects.values_list("file", flat=True))
        assert len(stored_names()) == SubmissionFile.objects.count()


def test_a_report_removed_while_work_built_in_the_portal_is_handed_in_is_never_lost_from_the_version(cast):
    comparison = cast.tasks["СӨЖ 4"]

    def document(version):
        return f"салыстыру-{version.number}.pdf", PDF

    for trial in range(10):
        student = new_student(cast, f"builder{trial}")
        draft = services.draft_add_files(task=comparison, student=student, uploads=[docx("есеп.docx")], now=BEFORE)
        report = draft.files.get()
        removed, submitted = at_once(
            partial(services.draft_remove_file, submission_file=report, now=BEFORE),
            partial(
                services.built_version_submit,
                task=comparison,
                student=student,
                statement_accepted=True,
                content={"trial": trial},
                document=document,
                require_upload=True,
                now=BEFORE,
            ),
            spread=0.02,
        )
        assert_whole(student)
        if isinstance(submitted, ValidationError):
            assert submitted.code == "no_upload"
            assert not Version.objects.filter(submission__student=student, state=Version.State.SUBMITTED).exists()
        else:
            assert isinstance(removed, ValidationError) and removed.code == "gone"
            assert sorted(submitted.files.values_list("original_name", flat=True)) == ["есеп.docx", "салыстыру-1.pdf"]


def test_a_lock_not_had_in_time_is_refused_with_a_message_and_stores_nothing(cast, essay):
    services.draft_add_files(task=essay, student=cast.student, uploads=[docx()], now=BEFORE)
    holding, release = threading.Event(), threading.Event()

    def hold_the_submission():
        with transaction.atomic():
            Submission.objects.select_for_update().get(task=essay, student=cast.student)
            holding.set()
            release.wait(timeout=30)

    def upload_meanwhile():
        holding.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            return services.draft_add_files(task=essay, student=cast.student, uploads=[pdf()], now=BEFORE)
        finally:
            release.set()

    _held, uploaded = at_once(hold_the_submission, upload_meanwhile)
    assert isinstance(uploaded, ValidationError) and uploaded.code == "busy"
    assert list(SubmissionFile.objects.values_list("original_name", flat=True)) == ["эссе.docx"]
    assert len(stored_names()) == 1


def post(student, path, data):
    """POST as ``student`` from a browser of their own; the status and the messages the page will show."""
    client = Client()
    client.force_login(student)
    response = client.post(path, data)
    return response.status_code, [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def test_the_hand_in_pages_answer_a_race_with_a_message_never_a_server_error(cast, essay):
    # The pages hand in now, not on a chosen day: keep the task open.
    services.task_set_deadline(task=essay, due_at_override=timezone.now() + dt.timedelta(days=7), cutoff_at=None)
    page = f"/courses/{cast.course.pk}/tasks/{essay.pk}/"
    for trial in range(10):
        student = new_student(cast, f"clicker{trial}")
        draft = services.draft_add_files(task=essay, student=student, uploads=[docx()])
        staged = draft.files.get()
        (removed, remove_messages), (submitted, submit_messages) = at_once(
            partial(post, student, f"{page}draft/files/{staged.pk}/remove/", {}),
            partial(post, student, f"{page}submit/", {"own_work": "on", "deidentified": "on"}),
            spread=0.02,
        )
        assert (removed, submitted) == (302, 302)
        assert remove_messages and submit_messages
        assert_whole(student)
        version = Version.objects.filter(submission__student=student, state=Version.State.SUBMITTED).first()
        if version is None:
            # The removal came first, and the hand-in found nothing to hand in.
            assert [remove_messages[0][0], submit_messages[0][0]] == ["success", "error"]
        else:
            # The hand-in came first: the version keeps the file. The removal either found it handed in (and says
            # so) or, asked a moment later, started the next draft without it, as it does after any hand-in.
            assert submit_messages[0][0] == "success"
            assert list(version.files.values_list("original_name", flat=True)) == ["эссе.docx"]
