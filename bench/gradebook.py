"""Time the gradebook page and its exports for classes of 500 × 6, 2,000 × 10 and 4,000 × 20 (students × tasks).

Run from the project root:  .venv/bin/python bench/gradebook.py [--classes 500x6 2000x10 4000x20] [--runs 10]
                            [--change-runs 5] [--database-url postgres://postgres@127.0.0.1:5432/bench_gradebook]

A throwaway SQLite database and private storage are created in a temporary directory and deleted at the end; with
--database-url the script creates that PostgreSQL database (dropping one left by an earlier run), migrates it and
drops it at the end. For each class the script writes the rows directly with ``bulk_create`` (students,
enrolments in groups of 25, tasks with maximum points, one submitted version per student and task — about 4% left
missing — with a released grade, and РК1, РК2 and exam scores), spreading the points so that every letter occurs.
Then it prints:

- the gradebook page (``grading:gradebook``, one page of ``PER_PAGE`` rows) requested through Django's test
  client as the course's instructor, for every sort (name, group, total, percent, РД, final, a task's column, and
  each the other way): its SQL queries, the median of ``--runs`` requests with a warm cache, and the median of
  ``--change-runs`` first requests after a change (before each, one student's РК1 is saved through
  ``control_scores_save``, which marks the course's results changed, so the cached order and statistics no
  longer apply); the queries of such a first request too;
- ``build_gradebook`` over the whole class, and ``workbook_bytes`` on that book (the Excel export);
- for the classes of 500 students: ``grade_sheet_pdf`` next to WeasyPrint alone on the same HTML (made once by
  ``grade_sheet_html``), the median of ``--pdf-runs`` runs each, and their ratio.

Each figure with a target is compared with it and marked "met" or "NOT met"; the script asserts nothing.
"""

import argparse
import datetime as dt
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import django_setup  # noqa: E402

PAGE_TARGETS_MS = {(500, 6): 150, (4000, 20): 300}  # every sort warm, and the default sort after a change
SORTS = ["name", "-name", "group", "-group", "total", "-total", "percent", "-percent", "rd", "-rd", "final", "-final"]
XLSX_TARGET_S = {(4000, 20): 5.0}
PDF_RATIO_TARGET = 1.1
PDF_TARGET_S = 4.0
SURNAMES = [
    "Әбілқасымова",
    "Бекмұратов",
    "Жақыпова",
    "Нұрғалиев",
    "Серікбаев",
    "Досанова",
    "Құдайбергенов",
    "Ізбасарова",
    "Өмірзақов",
    "Ұлықбекова",
    "Үсенов",
    "Һарунова",
    "Ғабитов",
    "Қасымова",
    "Иванов",
    "Ким",
]
GIVEN_NAMES = ["Әсел", "Нұрлан", "Сәуле", "Ерлан", "Айгүл", "Дәурен", "Гүлнар", "Қайрат", "Інжу", "Өркен", "Ұлан"]


def build_class(students, tasks, seed):
    """A course with ``students`` × ``tasks`` graded cells, written in bulk; returns (course, instructor)."""
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Department, Role, User
    from coursework.models import Course, Enrollment, Task, Term
    from grading.models import ControlScore, Grade
    from grading.services.letter_scale import letter_scale_ensure
    from portfolio.models import Submission, Version

    rng = random.Random(seed)
    code = f"GB-{students}x{tasks}"
    letter_scale_ensure()
    department = Department.objects.create(
        name=f"Әлеуметтік жұмыс кафедрасы {code}",
        faculty="Философия және саясаттану факультеті",
        university="Әл-Фараби атындағы Қазақ ұлттық университеті",
    )
    course = Course.objects.create(
        department=department,
        code=code,
        title="Кейс-менеджмент (Тәжірбелік қолдану)",
        programme="7В11401 – Әлеуметтік жұмыс",
        academic_year="2025-2026",
        term=Term.AUTUMN,
        start_date=dt.date(2025, 9, 1),
    )
    instructor = User.objects.create_user(f"{code}-teacher", role=Role.INSTRUCTOR, department=department)
    course.instructors.add(instructor)
    tasks = Task.objects.bulk_create(
        Task(
            course=course,
            position=index,
            label=f"СӨЖ {index + 1}",
            kind="sozh",
            deliverable="essay",
            title=f"Тапсырма {index + 1}",
            description="Эссе",
            due_week=1 + index * 14 // tasks,
            max_points=Decimal(rng.choice([10, 15, 20, 22])),
        )
        for index in range(tasks)
    )
    password = make_password("bench-pass")
    users = User.objects.bulk_create(
        User(
            username=f"{code}-s{number:05d}",
            password=password,
            role=Role.STUDENT,
            department=department,
            last_name=rng.choice(SURNAMES),
            first_name=rng.choice(GIVEN_NAMES),
        )
        for number in range(students)
    )
    Enrollment.objects.bulk_create(
        Enrollment(course=course, student=user, academic_group=f"СЖ-23-{number // 25 + 1:03d}")
        for number, user in enumerate(users)
    )
    # Each student has an ability; each cell scatters around it, so totals and letters spread from F to A.
    ability = {user.pk: rng.uniform(0.35, 1.0) for user in users}
    handed_in = [(task, user) for user in users for task in tasks if rng.random() > 0.04]  # about 4% missing
    submissions = Submission.objects.bulk_create(
        (Submission(task=task, student=user) for task, user in handed_in), batch_size=5000
    )
    moment = timezone.make_aware(dt.datetime(2025, 9, 10, 12, 0))
    versions = Version.objects.bulk_create(
        (
            Version(
                submission=submission,
                number=1,
                state=Version.State.SUBMITTED,
                submitted_at=moment,
                due_at=moment,
                is_late=rng.random() < 0.1,
                statement_accepted=True,
                is_latest=True,
            )
            for submission in submissions
        ),
        batch_size=5000,
    )
    grades = []
    for (task, user), submission, version in zip(handed_in, submissions, versions, strict=True):
        share = min(1.0, max(0.0, rng.gauss(ability[user.pk], 0.12)))
        points = (task.max_points * Decimal(share)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        grades.append(
            Grade(
                version=version,
                submission=submission,
                state=Grade.State.RELEASED,
                released_at=moment,
                points=points,
                percent=(points * 100 / task.max_points).quantize(Decimal("0.01"), ROUND_HALF_UP),
                released_points=points,
                released_percent=(points * 100 / task.max_points).quantize(Decimal("0.01"), ROUND_HALF_UP),
            )
        )
    Grade.objects.bulk_create(grades, batch_size=5000)
    ControlScore.objects.bulk_create(
        (
            ControlScore(
                course=course,
                student=user,
                kind=kind,
                score=Decimal(round(min(100, max(0, rng.gauss(ability[user.pk] * 100, 10))))),
                entered_by=instructor,
            )
            for user in users
            for kind in ("rk1", "rk2", "exam")
        ),
        batch_size=5000,
    )
    return course, instructor


def measure_sorts(course, instructor, args):
    """Per sort (those of ``SORTS`` and the first task's column both ways): (sort, queries with a warm cache,
    queries of the first request after a change, warm times, times of first requests after a change), in ms."""
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.core.cache import cache
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.urls import reverse

    from coursework.models import Enrollment

    # As Django's own test runner does: keep one connection, so its queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(instructor)
    url = reverse("grading:gradebook", args=[course.pk])
    student_id = Enrollment.objects.filter(course=course).order_by("pk").values_list("student_id", flat=True)[0]
    first_task = course.tasks.order_by("position", "pk").first()
    cache.clear()
    figures = []
    scores = iter(range(10**6))
    for sort in [*SORTS, f"task-{first_task.pk}", f"-task-{first_task.pk}"]:
        address = f"{url}?sort={sort}"
        changed, changed_queries = [], 0
        for _run in range(args.change_runs):
            make_a_change(course, instructor, student_id, next(scores) % 100)
            (_, changed_queries), seconds = timed(counted_get, client, address, connection)
            changed.append(seconds * 1000)
        warm, warm_queries = [], counted_get(client, address, connection)[1]
        for _run in range(args.runs):
            warm.append(timed(client.get, address)[1] * 1000)
        figures.append((sort, warm_queries, changed_queries, warm, changed))
    return figures


def counted_get(client, address, connection):
    """A request asserted to succeed, and the SQL queries it made."""
    # Imported here, after django.setup() in this script.
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
        count = len(queries)  # inside the block: the next requests clear the connection's query log
    assert response.status_code == 200, address
    return response, count


def make_a_change(course, instructor, student_id, score):
    """One student's РК1 saved through the service the score entry page uses: the course's results change."""
    # Imported here, after django.setup() in this script.
    from grading.services.gradebook import control_scores_save

    control_scores_save(course=course, by=instructor, scores={(student_id, "rk1"): score})


def print_sorts(figures, size):
    target = PAGE_TARGETS_MS.get(size)
    print(f"  {'sort':<10} {'queries warm / changed':>23} {'warm p50':>9} {'after a change p50':>19}")
    for sort, warm_queries, changed_queries, warm, changed in figures:
        warm_p50, changed_p50 = statistics.median(warm), statistics.median(changed)
        line = f"  {sort:<10} {warm_queries:>11} / {changed_queries:<9} {warm_p50:>6.0f} ms"
        if target:
            line += f" {verdict(warm_p50 <= target):<7}"
        line += f" {changed_p50:>8.0f} ms"
        if target and sort == "name":
            line += f" {verdict(changed_p50 <= target)}"
        print(line)
    if target:
        print(f"  targets: every sort warm, and the default sort (name) after a change, p50 ≤ {target} ms")


def bare_table_html(rows, columns):
    """A table of ``rows`` × ``columns`` short figures with no style but the font: WeasyPrint's floor for that shape."""
    body = "".join("<tr>" + "<td>12,5</td>" * columns + "</tr>" for _ in range(rows))
    style = '@page { size: A4 landscape } body { font-family: "DejaVu Sans"; font-size: 7pt }'
    return f"<html><head><style>{style}</style></head><body><table>{body}</table></body></html>"


def measure_pdf(book, course, args):
    """The grade sheet through ``grade_sheet_pdf`` and WeasyPrint alone on its HTML, runs interleaved."""
    # Imported here, after django.setup() in this script: the models need the app registry.
    import weasyprint

    from config.pdf import BASE_URL, _StaticOnlyFetcher
    from grading.documents.grade_sheet import grade_sheet_html, grade_sheet_pdf
    from grading.selectors.gradebook import build_gradebook

    def bare(html):
        return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_StaticOnlyFetcher()).write_pdf()

    html, html_seconds = timed(grade_sheet_html, book, language=args.language)
    timed(grade_sheet_pdf, book, language=args.language)  # warm-up: fonts found and loaded
    ours, alone = [], []
    for _run in range(args.pdf_runs):
        pdf, seconds = timed(grade_sheet_pdf, book, language=args.language)
        ours.append(seconds)
        alone.append(timed(bare, html)[1])
    ours_p50, alone_p50 = statistics.median(ours), statistics.median(alone)
    ratio = ours_p50 / alone_p50
    cells = len(book.rows) * (len(book.tasks) + 16)
    print(
        f"  grade sheet ({len(book.rows)} students, {page_count(pdf)} pages, "
        f"{len(pdf) / 1024:.0f} KiB): grade_sheet_html {html_seconds:.2f} s; grade_sheet_pdf p50 {ours_p50:.2f} s "
        f"(runs {', '.join(f'{value:.2f}' for value in ours)}); WeasyPrint alone p50 {alone_p50:.2f} s "
        f"(runs {', '.join(f'{value:.2f}' for value in alone)}); ratio {ratio:.2f}"
    )
    print(
        f"  PDF target ≤ {PDF_RATIO_TARGET} × WeasyPrint: {verdict(ratio <= PDF_RATIO_TARGET)}; "
        f"≤ {PDF_TARGET_S:.0f} s: {verdict(ours_p50 <= PDF_TARGET_S)}"
    )
    _, floor = timed(bare, bare_table_html(len(book.rows), len(book.tasks) + 16))
    print(f"  for scale: WeasyPrint on an unstyled table of the same {cells:,} cells: {floor:.2f} s")
    group = book.rows[0].group
    one_group = build_gradebook(course, include_drafts=True, group=group, sort="group")
    _, seconds = timed(grade_sheet_pdf, one_group, language=args.language)
    print(f"  grade sheet of one academic group ({group}, {len(one_group.rows)} students): {seconds:.2f} s")
    if args.save:
        (args.save / "grade-sheet-500.pdf").write_bytes(pdf)
        (args.save / "grade-sheet-500.html").write_text(html, encoding="utf-8")


def page_count(pdf):
    try:
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def verdict(met):
    return "met" if met else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", nargs="+", default=["500x6", "2000x10", "4000x20"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--change-runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=5)
    parser.add_argument("--language", default="kk")
    parser.add_argument("--save", type=Path, help="keep the exports (and the grade sheet's HTML) in this folder")
    parser.add_argument("--database-url", help="a PostgreSQL database to create, use and drop (not SQLite)")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-gradebook-"))
    if args.database_url:
        postgres_database(args.database_url, create=True)
    try:
        django_setup(tmp, args.database_url)
        # Imported here, after django.setup() in this script: the models need the app registry.
        from django.db import connection

        from grading.documents.gradebook import workbook_bytes
        from grading.selectors.gradebook import build_gradebook
        from grading.views.gradebook import PER_PAGE

        print(
            f"Gradebook on {connection.vendor}: page of {PER_PAGE} rows per sort ({args.runs} requests with a warm "
            f"cache, {args.change_runs} first requests after a change), exports of the whole class"
        )
        for seed, spec in enumerate(args.classes):
            students, tasks = (int(part) for part in spec.split("x"))
            size = (students, tasks)
            print(f"\n{students} students × {tasks} tasks = {students * tasks:,} cells")
            (course, instructor), seconds = timed(build_class, students, tasks, seed)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            print(f"  data written in {seconds:.1f} s")
            print_sorts(measure_sorts(course, instructor, args), size)

            book, built = timed(build_gradebook, course, include_drafts=True, sort="group")
            content, seconds = timed(workbook_bytes, book, language=args.language)
            line = f"  build_gradebook {built:.2f} s; workbook_bytes {seconds:.2f} s ({len(content) / 1024:.0f} KiB)"
            if size in XLSX_TARGET_S:
                line += f" — target ≤ {XLSX_TARGET_S[size]:.0f} s: {verdict(seconds <= XLSX_TARGET_S[size])}"
            print(line)
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"gradebook-{spec}.xlsx").write_bytes(content)

            if students == 500:
                measure_pdf(book, course, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if args.database_url:
            postgres_database(args.database_url, create=False)


def postgres_database(url, *, create):
    """Drop the database ``url`` names, if it exists, and create it again when ``create``."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        dbname="postgres", host=parts.hostname, port=parts.port, user=parts.username, password=parts.password
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


if __name__ == "__main__":
    main()
