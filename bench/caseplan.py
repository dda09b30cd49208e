"""Time the case plan's PDF and its autosave: the two targets of issue 12.

Run from the project root:  .venv/bin/python bench/caseplan.py [--pdf-runs 10] [--saves 200] [--language kk]
                            [--save DIR]

Everything happens in a throwaway directory (SQLite database, private storage) deleted at the end. The script
migrates it and builds the seed course with its term running now (it started two weeks ago, so "СОӨЖ 2-3", due at
the end of week 7, is open), one student given a case, and three organisations in the department's directory.

(a) The PDF: the student saves and hands in a plan of 10 goals and 30 interventions (three referrals to the
directory, two reviews, every text section a paragraph) through ``caseplans.services``; then
``caseplans.documents.plan_pdf`` renders that version's snapshot once to warm up (fonts, templates, translations)
and ``--pdf-runs`` more times, timed: median and max against the target of 0.5 s. The hand-in itself (snapshot,
PDF, stored file) is timed over five hand-ins, each changing one text.

(b) The autosave: ``--saves`` POSTs of the whole plan form to ``caseplans:plan_save`` through Django's test client,
signed in as the student, as the page's script sends them (the header ``X-Requested-With: fetch``, a JSON answer
with the revision and the checks before hand-in), after one warm-up; each POST changes one text as typing does. It
prints the queries of one save and p50 / p95 / max against the target p95 ≤ 100 ms, for the large plan and for a
small one (2 goals, 3 interventions). It asserts nothing; ``--save DIR`` keeps the PDF there for a look.
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

PDF_TARGET_MS = 500
SAVE_TARGET_MS = 100
PARAGRAPH = (
    "Клиент 34 жаста, екі баласымен туысының үйінде уақытша тұрады. Жұмысы жоқ, құжаттарының бір бөлігі бұрынғы "
    "жұбайында қалды. Балалары мектепке барады, кіші баласы логопедке қаралуы керек. "
)
ORGANISATIONS = [
    ("«Ақ жүрек» қоры", "Алматы", "Абай даңғылы, 10", "+7 727 300 00 00", "info@akzhurek.kz", "Тәулік бойы"),
    (
        "№ 2 арнаулы әлеуметтік қызметтер орталығы",
        "Алматы",
        "Төле би к-сі, 155",
        "+7 727 255 10 20",
        "",
        "Дс–Жм 9:00–18:00",
    ),
    (
        "Жұмыспен қамту орталығы № 1",
        "Алматы",
        "Желтоқсан к-сі, 37",
        "+7 727 272 00 11",
        "zhk@almaty.gov.kz",
        "Пн–Пт 9:00–18:00",
    ),
]


def plan_form(entries, start, goals=10, interventions=30, change=""):
    """The editor's form values of a complete plan with ``goals`` goals and ``interventions`` interventions."""
    values = {
        "profile": PARAGRAPH * 2,
        "history": PARAGRAPH * 3,
        "needs": "Қауіпсіз баспана, құжаттарды қалпына келтіру, психологиялық қолдау, тұрақты табыс.",
        "strengths": "Балаларына қамқор, орта арнаулы білімі бар, туысы қолдайды.",
        "monitoring": "Апта сайын телефон арқылы байланыс, айына бір рет үйге бару.",
        "closing": f"Клиент қауіпсіз жерде тұрады, құжаттары бар, тұрақты табысы бар.{change}",
        "problems-0-text": "Қауіпсіздікке қатер",
        "problems-1-text": "Құжаттардың болмауы",
        "problems-2-text": "Тұрақты табыстың болмауы",
        "reviews-0-date": (start + dt.timedelta(weeks=8)).isoformat(),
        "reviews-0-focus": "Қауіпсіздік жоспарының орындалуы",
        "reviews-1-date": (start + dt.timedelta(weeks=12)).isoformat(),
        "reviews-1-focus": "Құжаттар мен жұмысқа орналасу",
    }
    for index, entry in enumerate(entries):
        values |= {
            f"referrals-{index}-entry": str(entry.pk),
            f"referrals-{index}-organisation": "",
            f"referrals-{index}-purpose": "Уақытша баспана, кеңес және қолдау",
        }
    for goal in range(goals):
        values |= {
            f"goals-{goal}-key": f"goal{goal}",
            f"goals-{goal}-text": f"Мақсат {goal + 1}: клиенттің өмір сүру жағдайын тұрақтандыру",
            f"goals-{goal}-indicator": f"Көрсеткіш {goal + 1}: құжат қолында, келісім жасалды",
            f"goals-{goal}-target": (start + dt.timedelta(weeks=9, days=goal)).isoformat(),
        }
    responsible = ("case_manager", "client", "agency")
    for number in range(interventions):
        values |= {
            f"interventions-{number}-action": f"Іс-шара {number + 1}: ұйымға жолдау және бірге бару",
            f"interventions-{number}-responsible": responsible[number % 3],
            f"interventions-{number}-agency": "ХҚКО" if number % 3 == 2 else "",
            f"interventions-{number}-due": (start + dt.timedelta(weeks=6, days=number)).isoformat(),
            f"interventions-{number}-goal": f"goal{number * goals // interventions}",
        }
    return values


def build():
    """The course (its term running now), the student with a case, and three directory entries."""
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.utils import timezone

    from accounts.models import Role, User
    from caseplans.models import CaseAssignment, Vignette
    from coursework.models import Enrollment, Term
    from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
    from directory.models import Entry

    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday() + 14)  # a Monday two weeks ago: week 3 now
    seed = seed_read()
    department = department_ensure(seed=seed)
    course = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=start
    )
    instructor = User.objects.create_user("instructor", role=Role.INSTRUCTOR, department=department)
    student = User.objects.create_user(
        "student", role=Role.STUDENT, department=department, first_name="Әсел", last_name="Әбілқасымова"
    )
    course.instructors.add(instructor)
    Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")
    task = course.tasks.get(label="СОӨЖ 2-3")
    vignette = Vignette.objects.create(
        course=course,
        title="Айгүл: тұрмыстық зорлық-зомбылық",
        language="kk",
        client_category="domestic_violence",
        text=PARAGRAPH * 3,
        created_by=instructor,
    )
    CaseAssignment.objects.create(task=task, student=student, vignette=vignette, assigned_by=instructor)
    entries = [
        Entry.objects.create(
            department=department,
            key=name.lower(),
            name=name,
            organisation_type="ngo",
            region="almaty_city",
            city=city,
            address=address,
            phones=phones,
            email=email,
            hours=hours,
            services="Уақытша баспана, психологиялық көмек",
            search_text=name.lower(),
        )
        for name, city, address, phones, email, hours in ORGANISATIONS
    ]
    return task, student, entries, start


def time_pdf(task, student, entries, start, runs, save_dir):
    from django.utils import translation

    from caseplans.documents import plan_pdf
    from caseplans.services import plan_save, plan_submit

    hand_ins = []
    for number in range(5):
        plan_save(task=task, student=student, values=plan_form(entries, start, change=f" ({number})"))
        began = time.perf_counter()
        version = plan_submit(task=task, student=student, statement_accepted=True)
        hand_ins.append((time.perf_counter() - began) * 1000)
    content = version.content
    assert len(content["plan"]["goals"]) == 10 and len(content["plan"]["interventions"]) == 30
    plan_pdf(content=content, task=task, student=student, version=version)  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        pdf = plan_pdf(content=content, task=task, student=student, version=version)
        times.append((time.perf_counter() - began) * 1000)
    if save_dir:
        save_dir.mkdir(parents=True, exist_ok=True)
        (save_dir / f"plan-{translation.get_language()}.pdf").write_bytes(pdf)
    return times, hand_ins, len(pdf)


def time_saves(task, student, entries, start, count, goals, interventions):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    # As Django's own test runner does: keep one connection, so the queries of a save can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(headers={"X-Requested-With": "fetch"})
    client.force_login(student)
    url = reverse("caseplans:plan_save", args=[task.course_id, task.pk])

    def post(number):
        response = client.post(url, plan_form(entries, start, goals, interventions, change=f" {number}"))
        if response.status_code != 200:
            raise SystemExit(f"plan_save answered {response.status_code}: {response.content[:300]!r}")
        return response

    post(0)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        post(1)
    count = len(queries)  # now: the log of the connection's queries is a ring the next saves overwrite
    times = []
    for number in range(count):
        began = time.perf_counter()
        post(number + 2)
        times.append((time.perf_counter() - began) * 1000)
    return times, count


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def verdict(value, target):
    return "met" if value <= target else "NOT met"


def report(args):
    task, student, entries, start = build()
    times, hand_ins, size = time_pdf(task, student, entries, start, args.pdf_runs, args.save)
    print(f"(a) Plan PDF, 10 goals and 30 interventions ({args.language}, {size / 1024:.0f} KiB)")
    print(
        f"    {args.pdf_runs} renders after a warm-up: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms — target ≤ {PDF_TARGET_MS} ms: "
        f"{verdict(max(times), PDF_TARGET_MS)}"
    )
    print(
        f"    whole hand-in (snapshot, PDF, stored file), 5 runs: median {statistics.median(hand_ins):.0f} ms, "
        f"max {max(hand_ins):.0f} ms"
    )
    print(f"(b) Autosave, {args.saves} POSTs to caseplans:plan_save after a warm-up (SQLite, Django test client)")
    for goals, interventions in ((10, 30), (2, 3)):
        times, queries = time_saves(task, student, entries, start, args.saves, goals, interventions)
        p95 = percentile(times, 0.95)
        print(
            f"    {goals:>2} goals, {interventions:>2} interventions: {queries} queries a save; "
            f"p50 {percentile(times, 0.5):.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms — "
            f"target p95 ≤ {SAVE_TARGET_MS} ms: {verdict(p95, SAVE_TARGET_MS)}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf-runs", type=int, default=10)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--language", default="kk", choices=["kk", "ru", "en"])
    parser.add_argument("--save", type=Path, help="keep the PDF in this folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-caseplan-"))
    try:
        django_setup(tmp)
        # Imported here, after django.setup(): the settings are read from the environment django_setup sets.
        from django.utils import translation

        with translation.override(args.language):
            report(args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
