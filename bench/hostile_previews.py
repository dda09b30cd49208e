"""How long a hostile upload takes to be refused, and the grading page of the student who handed it in, beside a
normal file (issue 15).

Run from the project root:  .venv/bin/python bench/hostile_previews.py [--runs 5]

A throwaway SQLite database and private storage are created in a temporary directory and deleted at the end. For
each file — a normal essay (.docx) and repository (.xlsx), and the bombs of ``tests/portfolio/bombs.py``: the
workbook of issue 15 (millions of empty shared strings, about 330 KB), a .docx of millions of empty paragraphs, an
.ods of millions of empty rows — a student of the seed course hands it in through ``services.draft_add_files`` and
``draft_submit`` (an .xlsx or .ods to СӨЖ 1, the service repository, whose check runs at hand-in; a .docx to СОӨЖ 1),
timed; then the instructor requests the student's grading page ``--runs`` times after a warm-up. It prints the file's
size, the upload and the hand-in, what the preview became, and the page's min / median / max. It asserts nothing.
"""

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import django_setup  # noqa: E402


def files():
    """(label, task label, file name, content)."""
    # Imported here, after django.setup() in this script: the demo's builders read the models.
    from demo.portfolios import make_docx, make_repository_xlsx
    from tests.portfolio import bombs

    return [
        ("normal essay", "СОӨЖ 1", "эссе.docx", make_docx(["Кейс-менеджменттің даму тарихы"] * 40)),
        ("normal repository", "СӨЖ 1", "репозиторий.xlsx", make_repository_xlsx("Әбілқасымова Әсел")),
        ("xlsx: 9.7 M empty shared strings", "СӨЖ 1", "bomb.xlsx", bombs.shared_strings_bomb()),
        ("xlsx: the same, packed < 100×", "СӨЖ 1", "bomb.xlsx", bombs.shared_strings_bomb(noise=0.03)),
        ("docx: 8 M empty paragraphs", "СОӨЖ 1", "bomb.docx", bombs.docx_bomb()),
        ("ods: 2.2 M empty rows", "СӨЖ 1", "bomb.ods", bombs.ods_rows_bomb()),
    ]


def course():
    # Imported here, after django.setup() in this script: the models need the app registry.
    from accounts.models import Role, User
    from coursework.models import Term
    from coursework.services.courses import course_create_from_seed, department_ensure, seed_read

    seed = seed_read()
    department = department_ensure(seed=seed)
    taught = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
    )
    instructor = User.objects.create_user("teacher", role=Role.INSTRUCTOR, department=department)
    taught.instructors.add(instructor)
    return taught, department, instructor


def hand_in(taught, department, number, task_label, name, content):
    """The student's hand-in of ``content``: (the version, seconds of the upload, seconds of the hand-in)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import Role, User
    from coursework.models import Enrollment
    from portfolio import services

    student = User.objects.create_user(f"s{number}", role=Role.STUDENT, department=department, last_name=f"С {number}")
    Enrollment.objects.create(course=taught, student=student, academic_group="СЖ-23-01")
    task = taught.tasks.get(label=task_label)
    moment = timezone.make_aware(dt.datetime(2025, 9, 20, 12, 0))
    started = time.perf_counter()
    services.draft_add_files(task=task, student=student, uploads=[SimpleUploadedFile(name, content)], now=moment)
    uploaded = time.perf_counter()
    version = services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)
    return version, uploaded - started, time.perf_counter() - uploaded


def page_times(instructor, submission, runs):
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(instructor)
    url = reverse("grading:grade", args=[submission.pk])
    assert client.get(url).status_code == 200  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    try:
        django_setup(tmp)
        sys.path.insert(0, str(ROOT))
        from portfolio.models import FilePreview

        taught, department, instructor = course()
        print(f"Hand-in and grading page ({args.runs} requests after a warm-up; SQLite, Django test client)")
        print(f"{'file':<34} {'KB':>6} {'upload s':>9} {'hand-in s':>10} {'preview':<24} {'page ms min/med/max':>20}")
        for number, (label, task_label, name, content) in enumerate(files()):
            version, upload, handing_in = hand_in(taught, department, number, task_label, name, content)
            item = version.files.get()
            kept = FilePreview.objects.filter(sha256=item.sha256, extension=item.extension).first()
            fatal = (version.check_report.get("fatal") or {}).get("code")
            shown = f"{kept.kind} {kept.reason}".strip() if kept else "—"
            if fatal:
                shown += f"; check: {fatal}"
            times = page_times(instructor, version.submission, args.runs)
            figures = f"{min(times):.0f} / {statistics.median(times):.0f} / {max(times):.0f}"
            print(
                f"{label:<34} {len(content) / 1024:>6.0f} {upload:>9.2f} {handing_in:>10.2f} {shown:<24} {figures:>20}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
