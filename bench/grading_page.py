"""Count the grading page's queries and time it at 10 and 300 submissions of one task.

Run from the project root:  .venv/bin/python bench/grading_page.py [--sizes 10 300] [--runs 20]

A throwaway SQLite database and private storage are created in a temporary directory and deleted at the end.
For each size the script builds the seed course with that many students, each of whom has handed in one essay
for "СОӨЖ 1" (the seed rubric attached, 20 points), then requests one student's grading page through Django's
test client as the course's instructor: it prints the number of SQL queries and the min / median / max time of
``--runs`` requests after one warm-up. It asserts nothing.
"""

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import django_setup  # noqa: E402


def build_class(size, code):
    """A course run with ``size`` students who each handed in an essay; returns (instructor, one submission)."""
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import Role, User
    from coursework.models import Enrollment, Term
    from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
    from demo.portfolios import make_docx
    from grading.services.letter_scale import letter_scale_ensure
    from grading.services.rubrics import essay_rubric_ensure
    from portfolio import services

    seed = {**seed_read()}
    seed["course"] = {**seed["course"], "code": code}
    department = department_ensure(seed=seed)
    course = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
    )
    letter_scale_ensure()
    essay = course.tasks.get(label="СОӨЖ 1")
    essay.rubric = essay_rubric_ensure()
    essay.max_points = Decimal(20)
    essay.save()
    instructor = User.objects.create_user(f"{code}-teacher", role=Role.INSTRUCTOR, department=department)
    course.instructors.add(instructor)
    content = make_docx(["Кейс-менеджменттің даму тарихы мен теориялық негіздері"] * 40)
    moment = timezone.make_aware(dt.datetime(2025, 9, 20, 12, 0))
    version = None
    for number in range(size):
        student = User.objects.create_user(
            f"{code}-s{number}", role=Role.STUDENT, department=department, last_name=f"Студент {number:04d}"
        )
        Enrollment.objects.create(course=course, student=student, academic_group=f"СЖ-23-0{number % 2 + 1}")
        upload = SimpleUploadedFile("эссе.docx", content)
        services.draft_add_files(task=essay, student=student, uploads=[upload], now=moment)
        version = services.draft_submit(task=essay, student=student, statement_accepted=True, now=moment)
    return instructor, version.submission


def measure(instructor, submission, runs):
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    # As Django's own test runner does: keep one connection, so its queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(instructor)
    url = reverse("grading:grade", args=[submission.pk])
    assert client.get(url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    count = len(queries)  # now: the next requests clear the connection's query log
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return count, times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 300])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        django_setup(tmp)
        print(f"Grading page, {args.runs} requests after a warm-up (SQLite, Django test client)")
        print(f"{'submissions':>12} {'queries':>8} {'min ms':>8} {'median ms':>10} {'max ms':>8}")
        for size in args.sizes:
            instructor, submission = build_class(size, f"B{size}")
            count, times = measure(instructor, submission, args.runs)
            print(f"{size:>12} {count:>8} {min(times):>8.1f} {statistics.median(times):>10.1f} {max(times):>8.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
