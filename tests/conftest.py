"""The named cast every test draws on.

Two departments. The seed course (start 1 September 2025, a Monday) has ``instructor``,
``student`` and ``classmate``; ``dept_admin`` runs its department. ``other_course`` belongs to
another department, with ``other_instructor``, ``other_student`` and ``other_dept_admin``.

The cast is built once per module, inside a transaction that is rolled back when the module ends (what
``setUpTestData`` does for a TestCase); each test runs in a savepoint within it and gets its own copies of the
cast's objects, so changes a test makes, in the database or on the objects, never reach another test.
Transactional tests (``django_db(transaction=True)``, ``live_server``) cannot run inside that transaction: they
build their own cast, and a module must not mix them with tests that use the shared one.
"""

import copy
import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from accounts.models import Department, Role, User
from coursework.models import Course, Enrollment, Task, Term
from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
from grading.selectors.rubrics import forget_rubrics
from grading.templatetags.rubric_tags import forget_rubric_tables

PASSWORD = "cast-pass-2025"
SEED_START = dt.date(2025, 9, 1)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing, uploaded files in a throwaway folder, Kazakh as the active language, and nothing kept
    from an earlier test: the cache emptied, no rubric or rubric table remembered (grading.selectors.rubrics,
    grading.templatetags.rubric_tags)."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    cache.clear()
    forget_rubrics()
    forget_rubric_tables()
    with translation.override("kk"):
        yield


def make_user(username, role, department, **extra):
    user = User(username=username, role=role, department=department, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_cast():
    seed = seed_read()
    department = department_ensure(seed=seed)
    course = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=SEED_START
    )
    other_department = Department.objects.create(name="Психология кафедрасы", university="Басқа университет")
    other_course = Course.objects.create(
        department=other_department,
        code="PSY-101",
        title="Жалпы психология",
        title_en="General psychology",
        academic_year="2025-2026",
        term=Term.AUTUMN,
        start_date=SEED_START,
    )
    other_task = Task.objects.create(
        course=other_course,
        label="СӨЖ 1",
        kind="sozh",
        deliverable="essay",
        title="Психология тарихы",
        description="Эссе",
        due_week=4,
        max_points=20,
    )

    instructor = make_user("instructor", Role.INSTRUCTOR, department, first_name="Сәуле", last_name="Жақыпова")
    student = make_user("student", Role.STUDENT, department, first_name="Әсел", last_name="Әбілқасымова")
    classmate = make_user("classmate", Role.STUDENT, department, first_name="Нұрлан", last_name="Бекмұратов")
    dept_admin = make_user("dept_admin", Role.DEPARTMENT_ADMIN, department, first_name="Ерлан", last_name="Нұрғалиев")
    other_instructor = make_user("other_instructor", Role.INSTRUCTOR, other_department, last_name="Серікбаев")
    other_student = make_user("other_student", Role.STUDENT, other_department, last_name="Досанов")
    other_dept_admin = make_user("other_dept_admin", Role.DEPARTMENT_ADMIN, other_department, last_name="Абенова")

    course.instructors.add(instructor)
    other_course.instructors.add(other_instructor)
    Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")
    Enrollment.objects.create(course=course, student=classmate, academic_group="СЖ-23-02")
    Enrollment.objects.create(course=other_course, student=other_student, academic_group="ПС-23-01")

    return SimpleNamespace(
        department=department,
        course=course,
        tasks={task.label: task for task in course.tasks.all()},
        other_department=other_department,
        other_course=other_course,
        other_task=other_task,
        instructor=instructor,
        student=student,
        classmate=classmate,
        dept_admin=dept_admin,
        other_instructor=other_instructor,
        other_student=other_student,
        other_dept_admin=other_dept_admin,
    )


def is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


_open_module_casts = []  # the module-wide transaction while it is open, for the guard below


@pytest.fixture(scope="module")
def _module_cast(request, django_db_setup, django_db_blocker):
    """The cast, built once for the module in a transaction that is rolled back when the module ends.

    Modules of transactional tests get None: their tests build their own cast.
    """
    module_marker = request.node.get_closest_marker("django_db")
    if module_marker and module_marker.kwargs.get("transaction"):
        yield None
        return
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # as TestCase's class-wide transaction: durable blocks inside are allowed
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS), translation.override("kk"):
                cache.clear()
                built = build_cast()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    _open_module_casts.append(atomic)
    try:
        yield built
    finally:
        _open_module_casts.remove(atomic)
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _no_transactional_test_inside_a_shared_cast(request):
    """A transactional test would flush the tables under the module's open transaction: refuse it, and say why."""
    if _open_module_casts and is_transactional(request):
        raise RuntimeError(
            f"{request.node.nodeid} is transactional but its module shares a cast in an open transaction: "
            "move it to a module of transactional tests."
        )


@pytest.fixture
def cast(request, _module_cast, db):
    """This test's copy of the module's cast: the same rows, fresh objects (as TestCase copies setUpTestData's).

    A transactional test builds its own cast, committed for real and flushed after the test.
    """
    if is_transactional(request):
        return build_cast()
    return copy.deepcopy(_module_cast)


@pytest.fixture
def login(client):
    """Sign a member of the cast in on the test client and return the client."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
