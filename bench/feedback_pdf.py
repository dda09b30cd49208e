"""Time the feedback PDF of one graded essay.

Run from the project root:  .venv/bin/python bench/feedback_pdf.py [--runs 20] [--language kk] [--save DIR]

Everything happens in a throwaway directory (SQLite database, private storage) that is deleted at the end. The
script migrates it, builds the seed course with one student, attaches the seed essay rubric to "СОӨЖ 1" (20
points), hands in a late essay, grades it on all five criteria with comments, and releases the grade. Then it
renders the PDF once to warm up (fonts, templates, translations) and times ``feedback_pdf_bytes`` over
``--runs`` more renders, then the same number of requests to the view through Django's test client (access
check, queries, headers included). It prints min / median / max in ms and whether the target of <= 0.5 s per
document is met; it asserts nothing. ``--save DIR`` keeps one PDF per language there for a look.
"""

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from throwaway import django_setup  # noqa: E402

TARGET_MS = 500
FEEDBACK = (
    "Жұмыс тұтастай алғанда жақсы орындалған: тақырып ашылған, дереккөздер дұрыс көрсетілген. "
    "Қорытындыны нақтылап, өз пікіріңізді дәлелдермен күшейтіңіз.\n"
    "Қазақ әріптері: ӘәҒғҚқҢңӨөҰұҮүҺһІі."
)
SCORES = [
    # criterion position, level position (1 = excellent), points (%), comment
    (1, 1, "23", "Тақырып толық ашылған, теориялық негіздер анық түсіндірілген."),
    (2, 2, "17.5", "Құрылым сақталған, бірақ бөлімдер арасындағы байланыс әлсіз."),
    (3, 1, "21", "Дереккөздер ғылыми талапқа сай пайдаланылған."),
    (4, 2, "16", "Бірнеше пунктуациялық қате кездеседі."),
    (5, 3, "12", "Өз көзқарасыңызды дәлелдеп, нақты қорытынды жасаңыз."),
]


def setup(tmp):
    """Point Django at the throwaway directory (e-mail kept in memory), migrate, and return the released grade."""
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    django_setup(tmp)
    return build_grade()


def build_grade():
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import Role, User
    from coursework.models import Enrollment, Term
    from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
    from demo.grades import rubric_scores
    from demo.portfolios import make_docx
    from grading.services.grades import grade_release, grade_save
    from grading.services.letter_scale import letter_scale_ensure
    from grading.services.rubrics import essay_rubric_ensure
    from portfolio import services as portfolio

    seed = seed_read()
    department = department_ensure(seed=seed)
    course = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=dt.date(2025, 9, 1)
    )
    instructor = User.objects.create_user(
        "instructor", role=Role.INSTRUCTOR, department=department, first_name="Сәуле", last_name="Жақыпова"
    )
    student = User.objects.create_user(
        "student", role=Role.STUDENT, department=department, first_name="Әсел", last_name="Әбілқасымова"
    )
    course.instructors.add(instructor)
    Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")

    rubric = essay_rubric_ensure()
    letter_scale_ensure()
    task = course.tasks.get(label="СОӨЖ 1")
    task.rubric = rubric
    task.max_points = Decimal(20)
    task.save()

    # Due Sunday 21 September 2025, 23:59; handed in the next morning, so it is late.
    moment = timezone.make_aware(dt.datetime(2025, 9, 22, 10, 30))
    upload = SimpleUploadedFile("эссе.docx", make_docx(["Кейс-менеджменттің даму тарихы"]))
    portfolio.draft_add_files(task=task, student=student, uploads=[upload], now=moment)
    version = portfolio.draft_submit(task=task, student=student, statement_accepted=True, now=moment)

    criteria = list(rubric.criteria.prefetch_related("levels"))
    picks = [(level, points, comment) for _criterion, level, points, comment in sorted(SCORES)]
    grade = grade_save(
        version=version,
        grader=instructor,
        expected_lock_version=0,
        scores=rubric_scores(criteria, picks),
        feedback=FEEDBACK,
        originality_percent=Decimal("86.5"),
        originality_checker="Антиплагиат.kz",
    )
    return grade_release(grade=grade, by=instructor)


def timed(action, runs):
    """Run ``action`` once to warm up, then ``runs`` times; return the warm-up and the timings, in ms."""
    started = time.perf_counter()
    action()
    warm_up = (time.perf_counter() - started) * 1000
    return warm_up, measured(action, runs)


def measured(action, runs):
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def report(name, warm_up, timings):
    median = statistics.median(timings)
    print(f"{name}")
    print(f"  warm-up: {warm_up:.0f} ms")
    print(f"  {len(timings)} runs: min {min(timings):.0f} ms, median {median:.0f} ms, max {max(timings):.0f} ms")
    verdict = "met" if max(timings) <= TARGET_MS else ("met by the median only" if median <= TARGET_MS else "NOT met")
    print(f"  target <= {TARGET_MS / 1000:g} s per document: {verdict}")


def page_count(content, tmp):
    path = tmp / "probe.pdf"
    path.write_bytes(content)
    try:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--language", default="kk", choices=["kk", "ru", "en"])
    parser.add_argument("--save", type=Path, help="keep one PDF per language in this folder")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-feedback-pdf-"))
    try:
        started = time.perf_counter()
        grade = setup(tmp)
        print(f"Throwaway state in {tmp}: migrated and graded in {time.perf_counter() - started:.1f} s")

        # Imported here, after django.setup() in this script: the models need the app registry.
        import weasyprint
        from django.conf import settings
        from django.test import Client
        from django.urls import reverse

        from grading.access import grade_for_viewer
        from grading.documents.feedback import feedback_pdf_bytes

        grade = grade_for_viewer(grade.submission.student, grade.pk)
        started = time.perf_counter()
        content = feedback_pdf_bytes(grade, language=options.language)  # the warm-up: fonts, template, catalogue
        warm_up = (time.perf_counter() - started) * 1000
        print(
            f"WeasyPrint {weasyprint.__version__}; document: {len(content) / 1024:.1f} KiB, "
            f"{page_count(content, tmp)} page(s), language {options.language}\n"
        )
        timings = measured(lambda: feedback_pdf_bytes(grade, language=options.language), options.runs)
        report("feedback_pdf_bytes(grade, language=...), the first call of the process as warm-up", warm_up, timings)

        client = Client()
        client.force_login(grade.submission.student)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = options.language
        url = reverse("grading:feedback_pdf", args=[grade.pk])

        def request():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} gave {response.status_code}")

        warm_up, timings = timed(request, options.runs)
        report(f"GET {url} as the student (session, access check, queries, headers included)", warm_up, timings)

        if options.save:
            options.save.mkdir(parents=True, exist_ok=True)
            for language in ("kk", "ru", "en"):
                path = options.save / f"feedback-{language}.pdf"
                path.write_bytes(feedback_pdf_bytes(grade, language=language))
                print(f"saved {path}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
