"""Time the roster import of a 5,000-row .xlsx next to a bare openpyxl read of the same file, and count its queries.

Run from the project root:  .venv/bin/python bench/roster_import.py [--rows 5000] [--runs 5] [--database-url URL]

A throwaway SQLite database (or, with --database-url, an empty PostgreSQL database you provide) gets the seed
course and its department admin. The script builds an .xlsx as Excel saves one (shared strings, a declared size)
of ``--rows`` students with Kazakh and Russian names in 8 academic groups, then prints the medians of ``--runs``:

- the bare read: ``openpyxl.load_workbook(read_only=True)`` and every row's values, nothing else;
- the preview: ``read_roster`` (the zip checks, the headings, every cell as text) and ``roster_import_create``
  (the plan against the database and the stored ``RosterImport``), as the upload view runs them;
- the apply: ``roster_import_apply`` on a fresh preview — the plan again, the accounts and enrolments written in
  bulk, and one set-password e-mail per new student rendered and sent (Django's locmem backend); the accounts are
  deleted again between runs, outside the timing;

with each one's ratio to the bare read (target ≤ 1.5), and the queries of a preview and an apply of 500 and of
5,000 rows, with the INSERT statements counted apart (Django splits a bulk insert on SQLite into statements of
at most 999 parameters). It asserts nothing.
"""

import argparse
import datetime as dt
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import django_setup  # noqa: E402

RATIO_TARGET = 1.5
GROUPS = [f"СЖ-{year}-0{number}" for year in (23, 24) for number in range(1, 5)]
WOMEN = (
    ("Әбілқасымова", "Жақыпова", "Серікбаева", "Иванова", "Нұрғалиева", "Омарова", "Қасымова", "Ізбасарова", "Ли"),
    ("Әсел", "Сәуле", "Айгүл", "Мария", "Гүлнар", "Інжу", "Динара", "Анна", "Жансая", "Ақбота"),
    ("Нұрланқызы", "Ерланқызы", "Маратқызы", "Сергеевна", "Болатқызы", "Асқарқызы", "Викторовна", "Қайратқызы"),
)
MEN = (
    ("Бекмұратов", "Құдайбергенов", "Ким", "Өмірзақов", "Ұлықбеков", "Сейітов", "Ғабитов", "Петров", "Үсенов"),
    ("Нұрлан", "Ерлан", "Дәурен", "Олег", "Қайрат", "Өркен", "Ұлан", "Дмитрий", "Арман", "Ержан"),
    ("Серікұлы", "Болатұлы", "Қайратұлы", "Ильич", "Маратұлы", "Ержанұлы", "Андреевич", "Асқарұлы"),
)
HEADINGS = ("Аты-жөні\nФИО", "Студенттің ID\nID студента", "Топ\nГруппа", "Электрондық пошта\nЭл. почта", "Тіл\nЯзык")


def roster_rows(count, seed=1, first=1):
    rng = random.Random(seed)
    rows = []
    for n in range(first, first + count):
        surnames, given, patronymics = rng.choice((WOMEN, MEN))
        name = f"{rng.choice(surnames)} {rng.choice(given)} {rng.choice(patronymics)}"
        number = f"23{n:07d}"
        language = ("kk", "ru", "en", "")[n % 4]
        rows.append((name, number, GROUPS[n % len(GROUPS)], f"s{number}@stud.example.kz", language))
    return rows


def excel_like_xlsx(rows):
    """An .xlsx laid out as Excel saves one: shared strings, a <dimension>, cell references."""
    strings, index = [], {}
    sheet_rows = []
    for number, row in enumerate([HEADINGS, *rows], start=1):
        cells = []
        for column, value in enumerate(row):
            if value not in index:
                index[value] = len(strings)
                strings.append(value)
            cells.append(f'<c r="{"ABCDE"[column]}{number}" t="s"><v>{index[value]}</v></c>')
        sheet_rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{rel}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Тізім" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{rel}/worksheet"/>'
            f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{rel}/sharedStrings"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
            + "</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><dimension ref="A1:E{len(rows) + 1}"/><sheetData>'
            + "".join(sheet_rows)
            + "</sheetData></worksheet>"
        ),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text)
    return output.getvalue()


def summary(times):
    return f"{statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"


def ratio_line(label, times, bare):
    ratio = statistics.median(times) / statistics.median(bare)
    target = f"target ≤ {RATIO_TARGET}: {verdict(ratio <= RATIO_TARGET)}"
    return f"  {label}: {summary(times)} — {ratio:.2f}× the bare read, {target}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="an empty PostgreSQL database instead of a throwaway SQLite one")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-roster-"))
    try:
        django_setup(tmp, args.database_url)
        run(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(args):
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.conf import settings
    from django.core import mail
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from openpyxl import load_workbook

    from accounts.models import Role, User
    from coursework.forms.rosters import read_roster
    from coursework.models import Enrollment, Term
    from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
    from coursework.services.rosters import roster_import_apply, roster_import_create

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    seed = seed_read()
    department = department_ensure(seed=seed)
    course = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
    )
    admin = User.objects.create_user("bench-admin", role=Role.DEPARTMENT_ADMIN, department=department)
    print(f"Roster import, {connection.vendor} database; medians of {args.runs} runs")

    def bare_read(data):
        book = load_workbook(io.BytesIO(data), read_only=True)
        count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        return count

    def preview(data):
        inputs = read_roster(SimpleUploadedFile("roster.xlsx", data))
        return roster_import_create(course=course, file_name="roster.xlsx", inputs=inputs, uploaded_by=admin)

    def undo(_result=None):
        Enrollment.objects.filter(course=course).delete()
        User.objects.filter(role=Role.STUDENT).delete()
        mail.outbox = []

    data = excel_like_xlsx(roster_rows(args.rows))
    print(f"\n{args.rows} rows: {len(data) / 1024:.0f} KiB .xlsx; each run: bare read, preview, apply (interleaved)")
    reverse("home")  # the URLconf is loaded once per process; a running server has it already
    bare, previews, applies, mails = [], [], [], []
    for _ in range(args.runs):
        bare.append(timed(bare_read, data)[1])
        roster_import, seconds = timed(preview, data)
        previews.append(seconds)
        # The outer block holds the commit back, so that the e-mails sent on commit are timed on their own.
        with transaction.atomic():
            counts, seconds = timed(roster_import_apply, roster_import=roster_import, applied_by=admin)
            started = time.perf_counter()
        mails.append(time.perf_counter() - started)
        applies.append(seconds)
        check(counts, args.rows, len(mail.outbox))
        undo()
    print(f"  bare openpyxl read (read_only, values_only): {summary(bare)}")
    print(ratio_line("preview (read_roster + roster_import_create)", previews, bare))
    print(ratio_line("apply without the e-mails (plan again, write accounts and enrolments)", applies, bare))
    print(f"  then commit and {args.rows} set-password e-mails (rendered, locmem backend): {summary(mails)}")
    totals = [apply + sent for apply, sent in zip(applies, mails, strict=True)]
    print(ratio_line("apply with the e-mails", totals, bare))

    print("\nQueries (INSERT statements in brackets):")
    for size in (500, 5000):
        data = excel_like_xlsx(roster_rows(size, seed=size))
        with CaptureQueriesContext(connection) as preview_queries:
            roster_import = preview(data)
        with CaptureQueriesContext(connection) as apply_queries:
            roster_import_apply(roster_import=roster_import, applied_by=admin)
        undo()
        print(f"  {size} rows: preview {describe(preview_queries)}; apply {describe(apply_queries)}")


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def describe(queries):
    statements = [query["sql"] for query in queries.captured_queries]
    inserts = sum(1 for sql in statements if sql.lstrip().upper().startswith("INSERT"))
    others = len(statements) - inserts
    return f"{len(statements)} ({others} others + {inserts} INSERT)"


def check(counts, rows, sent):
    if counts["new"] != rows or sent != rows:
        raise SystemExit(f"the apply wrote {counts['new']} accounts and sent {sent} e-mails, not {rows}")


def verdict(met):
    return "met" if met else "NOT met"


if __name__ == "__main__":
    main()
