"""Time the service repository check of a 5,000-row file next to a bare openpyxl read of the same file; measure its
memory.

Run from the project root:  .venv/bin/python bench/repository_check.py [--rows 5000] [--runs 5]

The file is the repository template filled with ``--rows`` services (the demo's services in turn, one row in 50
wrong), as ``demo.portfolios.fill_repository_template`` writes it; when LibreOffice is installed, the same file
saved again by LibreOffice (shared strings, as Excel and Calc write them) is measured too. For each file, the
medians of ``--runs`` interleaved runs of:

- the bare read: ``openpyxl.load_workbook(read_only=True)`` and every row's values of the first sheet, nothing else;
- the check end to end: ``check_repository`` (zip checks, headings, every row checked, the report) and a
  ``RepositoryRow`` built for each valid row (``repository_row_objects``, as ``draft_submit`` builds them); no database;

with the check's ratio to the bare read (target ≤ 1.3), in CPU time of the process (steady when other work shares
the machine) and in wall-clock time. Memory, each in a fresh process: the tracemalloc peak of one
check, and the process's peak resident size (``ru_maxrss``) after one check, next to the same after only importing
Django and the check (target ≤ 150 MB). It asserts nothing.
"""

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from openpyxl import load_workbook  # noqa: E402

from demo.portfolios import REPOSITORY_MISTAKES, fill_repository_template, repository_rows  # noqa: E402
from portfolio.models import Version  # noqa: E402
from portfolio.repository.check import _check_tables, check_repository, repository_row_objects  # noqa: E402
from portfolio.repository.reading import open_tables  # noqa: E402

RATIO_TARGET = 1.3
MEMORY_TARGET_MB = 150
TODAY = dt.date(2025, 10, 1)


def repository_file(count):
    """The template filled with ``count`` services; every 50th row has one of the demo's mistakes."""
    rows = repository_rows(count=count, checked_before=TODAY)
    mistakes = list(REPOSITORY_MISTAKES.values())
    for index in range(49, count, 50):
        rows[index] = {**mistakes[index // 50 % len(mistakes)], "checked_on": rows[index]["checked_on"]}
    return fill_repository_template(rows)


def resaved_by_libreoffice(content, tmp):
    source = tmp / "repository.xlsx"
    source.write_bytes(content)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "xlsx",
         "--outdir", str(tmp / "lo"), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return (tmp / "lo" / "repository.xlsx").read_bytes()


def bare_read(content):
    book = load_workbook(io.BytesIO(content), read_only=True)
    count = 0
    for _values in book.worksheets[0].iter_rows(values_only=True):
        count += 1
    book.close()
    return count


def checked(content):
    result = check_repository(io.BytesIO(content), name="repository.xlsx", extension="xlsx", today=TODAY)
    return result.report, repository_row_objects(result.rows, version=Version(pk=1))


def timed(function, content):
    """(wall-clock seconds, CPU seconds of this process) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    function(content)
    return time.perf_counter() - wall, time.process_time() - cpu


def summary(times):
    return f"{statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"


def measure(label, content, runs):
    report, rows = checked(content)
    print(f"\n{label}: {len(content) / 1024:.0f} KiB, {report['rows_read']} rows read, {report['valid']} valid, "
          f"{report['with_problems']} with problems, {len(rows)} RepositoryRow built")  # fmt: skip
    bare, check = [], []
    for _run in range(runs):
        bare.append(timed(bare_read, content))
        check.append(timed(checked, content))
    for index, clock in ((1, "CPU time "), (0, "wall clock")):
        bare_times, check_times = [run[index] for run in bare], [run[index] for run in check]
        ratio = statistics.median(check_times) / statistics.median(bare_times)
        verdict = "met" if ratio <= RATIO_TARGET else "NOT met"
        print(f"  {clock}  bare openpyxl read {summary(bare_times)}")
        print(f"  {clock}  check + rows       {summary(check_times)} — {ratio:.2f}× the bare read, "
              f"target ≤ {RATIO_TARGET}: {verdict}")  # fmt: skip


class _InMemory:
    """A sheet already read: its rows in a list."""

    def __init__(self, rows):
        self.title, self.rows = "Репозиторий", iter(rows)


def parts(content, runs):
    """CPU time of the check's own work, apart from reading: the row checks over rows already read, and building
    the RepositoryRow objects; medians of ``runs``."""
    with open_tables(io.BytesIO(content), "xlsx") as tables:
        rows = list(next(iter(tables)).rows)
    checks, builds = [], []
    for _run in range(runs):
        start = time.process_time()
        result = _check_tables([_InMemory(rows)], "repository.xlsx", TODAY)
        middle = time.process_time()
        repository_row_objects(result.rows, version=Version(pk=1))
        checks.append(middle - start)
        builds.append(time.process_time() - middle)
    print(f"  of which, CPU time: the row checks over rows already read {statistics.median(checks) * 1000:.0f} ms, "
          f"building the RepositoryRow objects {statistics.median(builds) * 1000:.0f} ms")  # fmt: skip


def memory(path):
    """In fresh processes: the tracemalloc peak of one check and ru_maxrss after it, and ru_maxrss at rest."""
    at_rest = _child(["rest", str(path)])
    with_check = _child(["check", str(path)])
    peak_mb = float(with_check.split()[0])
    rss_mb = float(with_check.split()[1])
    rest_mb = float(at_rest.split()[1])
    verdict = "met" if max(peak_mb, rss_mb) <= MEMORY_TARGET_MB else "NOT met"
    print(f"  memory: tracemalloc peak {peak_mb:.1f} MB; ru_maxrss {rss_mb:.1f} MB after the check, "
          f"{rest_mb:.1f} MB with only Django and the check imported")  # fmt: skip
    print(f"  memory target ≤ {MEMORY_TARGET_MB} MB: {verdict}")


def _child(args):
    output = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True, timeout=600
    )
    return output.stdout.strip().splitlines()[-1]


def child(mode, path):
    content = Path(path).read_bytes()
    peak = 0.0
    if mode == "check":
        tracemalloc.start()
        checked(content)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"{peak:.1f} {rss:.1f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-repository-"))
    try:
        started = time.perf_counter()
        files = {"template filled by openpyxl": repository_file(args.rows)}
        print(f"built a {args.rows}-row file from the template in {time.perf_counter() - started:.1f} s")
        if shutil.which("soffice"):
            files["the same file saved again by LibreOffice"] = resaved_by_libreoffice(
                files["template filled by openpyxl"], tmp
            )
        else:
            print("LibreOffice (soffice) is not installed: the file saved by LibreOffice is not measured")
        for index, (label, content) in enumerate(files.items()):
            measure(label, content, args.runs)
            parts(content, args.runs)
            path = tmp / f"file{index}.xlsx"
            path.write_bytes(content)
            memory(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
