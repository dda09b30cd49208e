"""Time the whole course's grade sheet laid out in parts by the render workers against one WeasyPrint render.

Run from the project root:  .venv/bin/python bench/grade_sheet_pdf.py [--students 500] [--tasks 6] [--runs 5]

A throwaway SQLite database and private storage are created in a temporary directory and deleted at the end. The
class is bench/gradebook.py's (groups of 25, released grades, РК1, РК2 and exam scores; the credit formula on).
The clock is held still while the documents are made, so both carry the same "Generated on" line. Then, runs
interleaved after a warm-up:

- one render: ``config.pdf.render_pdf`` on the sheet's HTML, made once beforehand (WeasyPrint alone);
- in parts: ``grade_sheet_pdf_in_parts`` end to end (the parts' HTML, the workers, the footers, the merge).

Between runs, untimed, each run's garbage is collected (here and in the workers, which collect theirs after they
answer) so that no run pays for, or competes with, the cleanup of the one before: the single render leaves about a
quarter of a million objects behind, 0.3–0.6 s of collection that would otherwise fall into the next run.

It prints the medians and their ratio against the target (≤ 0.6), the workers' first start, and whether the two
PDFs have the same page count and the same text (``pdftotext -layout``, and ``pdftotext`` in reading order), with
"page X of Y" on every page; each "met" or "NOT met". The load average is printed before and after: other work on
the machine slows the parts, which need every core, more than the single render, which uses one. The script asserts
nothing.
"""

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from gradebook import build_class, timed, verdict  # noqa: E402
from throwaway import django_setup  # noqa: E402

RATIO_TARGET = 0.6


def pdf_text(content, *options):
    result = subprocess.run(["pdftotext", *options, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True)
    return result.stdout.decode()


def counters_right(text, sentence):
    """Whether page N of the text (pages end with a form feed) shows the counter "page N of <all>"."""
    pages = text.split("\f")[:-1]
    return all(sentence % {"page": number, "pages": len(pages)} in page for number, page in enumerate(pages, 1))


def settle(workers):
    """Collect this process's garbage, and wait until each worker has collected the garbage of its last document (a
    worker reads its next document once it has)."""
    gc.collect()
    for _ in range(workers.size):
        workers.render("<p>settle</p>")  # the idle workers are taken in turn


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--tasks", type=int, default=6)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--language", default="kk")
    parser.add_argument("--save", type=Path, help="keep both PDFs in this folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-grade-sheet-"))
    try:
        django_setup(tmp)
        # Imported here, after django.setup() in this script: the models need the app registry.
        from django.utils import timezone, translation

        from config.pdf import close_render_workers, render_pdf, render_workers
        from grading.documents.grade_sheet import grade_sheet_html, grade_sheet_pdf_in_parts
        from grading.selectors.gradebook import build_gradebook

        (course, _instructor), seconds = timed(build_class, args.students, args.tasks, 0)
        book = build_gradebook(course, include_drafts=True, sort="group")
        groups = len({row.group for row in book.rows})
        print(
            f"Grade sheet of {len(book.rows)} students × {len(book.tasks)} tasks in {groups} groups, credit formula "
            f"{'on' if book.assessment.uses_credit_formula else 'off'} (data written in {seconds:.1f} s)"
        )
        print(f"  {os.cpu_count()} CPUs, {render_workers().size} render workers; load average before: {load()}")
        still = timezone.now()
        with mock.patch.object(timezone, "now", return_value=still):
            html = grade_sheet_html(book, language=args.language)
            _, cold = timed(grade_sheet_pdf_in_parts, book, language=args.language)
            close_render_workers()
            _, started = timed(render_workers().render, "<p>warm</p>")
            print(
                f"  in parts, first document with the workers not started: {cold:.2f} s; "
                f"one worker's start and first tiny document: {started:.2f} s"
            )
            single_pdf, _ = timed(render_pdf, html)  # warm-up: fonts found and loaded
            single, parts = [], []
            for _run in range(args.runs):
                settle(render_workers())
                single_pdf, seconds = timed(render_pdf, html)
                single.append(seconds)
                settle(render_workers())
                parts_pdf, seconds = timed(grade_sheet_pdf_in_parts, book, language=args.language)
                parts.append(seconds)
        _, seconds = timed(grade_sheet_html, book, language=args.language)
        print(f"  the sheet's HTML alone (included in the parts' time, not in the single render's): {seconds:.2f} s")
        single_p50, parts_p50 = statistics.median(single), statistics.median(parts)
        ratio = parts_p50 / single_p50
        print(f"  one render (WeasyPrint): p50 {single_p50:.2f} s (runs {', '.join(f'{s:.2f}' for s in single)})")
        print(f"  in parts, end to end:    p50 {parts_p50:.2f} s (runs {', '.join(f'{s:.2f}' for s in parts)})")
        print(f"  ratio {ratio:.2f} — target ≤ {RATIO_TARGET}: {verdict(ratio <= RATIO_TARGET)}")

        single_text, parts_text = pdf_text(single_pdf, "-layout"), pdf_text(parts_pdf, "-layout")
        with translation.override(args.language):
            sentence = translation.gettext("page %(page)s of %(pages)s")
        pages = single_text.count("\f"), parts_text.count("\f")
        print(f"  pages: one render {pages[0]}, in parts {pages[1]}: {verdict(pages[0] == pages[1])}")
        print(f"  pdftotext -layout text identical: {verdict(single_text == parts_text)}")
        print(f"  pdftotext (reading order) text identical: {verdict(pdf_text(single_pdf) == pdf_text(parts_pdf))}")
        counters = verdict(counters_right(parts_text, sentence))
        print(f'  "{sentence}" right on every page of the parts\' PDF: {counters}')
        print(f"  load average after: {load()}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / "grade-sheet-single.pdf").write_bytes(single_pdf)
            (args.save / "grade-sheet-parts.pdf").write_bytes(parts_pdf)
        close_render_workers()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
