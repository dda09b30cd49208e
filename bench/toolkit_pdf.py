"""Time the PDF of a large assessment toolkit (СӨЖ 3): five instruments of twenty items each, every answer type, in
Kazakh — the cover, the criteria table, five blank forms and the rating scale's scoring sheet.

Run from the project root:  .venv/bin/python bench/toolkit_pdf.py [--runs 10] [--language kk] [--save DIR]

Everything happens in a throwaway directory (SQLite database, private storage) deleted at the end. The script
migrates it and builds the seed course with its term running now (started on the Monday two weeks ago, so "СӨЖ 3" is
open) and one enrolled student, who saves the toolkit (``portfolio.services.working_copy_save``), uploads a
presentation (a one-page PDF) and hands in three times through ``toolkits.services.toolkit_submit``, each hand-in
changing one item and timed whole (checks, snapshot, PDF, stored files). Then ``toolkits.documents.toolkit_pdf``
renders the last version's snapshot once to warm up (fonts, templates, translations) and ``--runs`` more times, timed
(``time.perf_counter``, same process): min, median and max against the target of issue 14 (≤ 1 s); the same for
``blank_forms_pdf`` (the draft's download); the process's peak resident memory (``VmHWM``) before and after the
renders, and the Python heap's peak during one render (``tracemalloc``, in a render of its own: it slows the render).
It asserts nothing; ``--save DIR`` keeps the PDF.
"""

import argparse
import datetime as dt
import io
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import django_setup  # noqa: E402

TARGET_MS = 1000
CRITERIA = (
    ("Отбасы құрамы", "Клиентпен бірге тұратындар, олардың жасы мен отбасындағы рөлдері"),
    ("Денсаулық", "Клиенттің физикалық және психикалық денсаулығы, емделуі мен дәрі-дәрмегі"),
    ("Табыс көзі", "Жұмыс, зейнетақы, жәрдемақы, қарыздар және ай сайынғы шығыстар"),
    ("Тұрғын үй", "Баспананың түрі, қауіпсіздігі, жылуы мен коммуналдық қызметтері"),
    ("Әлеуметтік байланыстар", "Туыстар, көршілер, достар, қауымдастық пен діни ұйымдар"),
    ("Білімі мен дағдылары", "Оқуы, кәсібі, еңбек дағдылары мен тілдерді меңгеруі"),
    ("Қызметтерге қолжетімділік", "ХҚКО, емхана, әлеуметтік қызметтер және олардың алыстығы"),
    ("Қауіп факторлары", "Зорлық-зомбылық, тәуелділік, жалғыздық пен дағдарыс белгілері"),
)
TYPES = ("questionnaire", "rating_scale", "observation", "interview_guide", "other")
TITLES = (
    "Әлеуметтік тарих сауалнамасы",
    "Әлеуметтік қолдау мен өмір сапасының шкаласы",
    "Үйге бару кезіндегі бақылау парағы",
    "Жартылай құрылымдалған сұхбат жоспары",
    "Отбасының экокартасына арналған парақ",
)
ANSWERS = ("open", "one_choice", "several_choices", "yes_no", "number", "scale")
QUESTION = "Соңғы алты айда сіздің отбасыңызда қандай өзгерістер болды және олар күнделікті өміріңізге қалай әсер етті?"


def toolkit(change=""):
    """Eight criteria and five instruments of twenty items: the rating scale's items are all scales (1–5, 0–10 and
    1–7, anchors at both ends and some in the middle), the others cycle through every answer type."""
    criteria = [{"key": f"c{index}", "name": name, "definition": text} for index, (name, text) in enumerate(CRITERIA)]
    instruments = []
    for number, (kind, title) in enumerate(zip(TYPES, TITLES, strict=True)):
        items = []
        for position in range(20):
            answer = "scale" if kind == "rating_scale" else ANSWERS[position % len(ANSWERS)]
            low, high = ((1, 5), (0, 10), (1, 7))[position % 3] if answer == "scale" else (None, None)
            anchors = {str(low): "ешқашан", str(high): "әрқашан"} if answer == "scale" else {}
            if answer == "scale" and position % 2:
                anchors[str((low + high) // 2)] = "кейде"
            items.append(
                {
                    "key": f"q{number}x{position}",
                    "text": f"{position + 1}-сұрақ. {QUESTION}",
                    "criterion": f"c{(position + number) % len(CRITERIA)}",
                    "answer": answer,
                    "options": ["Иә, толығымен", "Ішінара", "Жоқ", "Жауап беруден бас тартты"]
                    if answer in ("one_choice", "several_choices")
                    else [],
                    "scale_from": low,
                    "scale_to": high,
                    "anchors": anchors,
                }
            )
        instruments.append(
            {
                "key": f"i{number}",
                "type": kind,
                "title": title,
                "purpose": "Клиенттің әлеуметтік тарихын жинап, қажеттіліктері мен күшті жақтарын анықтау",
                "instructions": "Клиентке сұхбаттың мақсатын түсіндіріп, келісімін алыңыз.\n"
                "Сұрақтарды ретімен оқып, жауаптарды клиенттің өз сөзімен жазыңыз.",
                "items": items,
            }
        )
    instruments[0]["items"][0]["text"] += change
    return {"category": "elderly", "category_other": "", "criteria": criteria, "instruments": instruments}


def build():
    """The course (its term running now) and one enrolled student."""
    # Imported here, after django.setup() in this script: the models need the app registry.
    from django.utils import timezone

    from accounts.models import Role, User
    from coursework.models import Enrollment, Term
    from coursework.services.courses import course_create_from_seed, department_ensure, seed_read

    today = timezone.localdate()
    start = today - dt.timedelta(days=today.weekday() + 14)  # a Monday two weeks ago: week 3 now
    seed = seed_read()
    department = department_ensure(seed=seed)
    course = course_create_from_seed(
        seed=seed, department=department, academic_year="2025-2026", term=Term.AUTUMN, start_date=start
    )
    student = User.objects.create_user(
        "student", role=Role.STUDENT, department=department, first_name="Әсел", last_name="Әбілқасымова"
    )
    Enrollment.objects.create(course=course, student=student, academic_group="СЖ-23-01")
    return course.tasks.get(label="СӨЖ 3"), student


def presentation_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from config.pdf import render_pdf

    return SimpleUploadedFile("презентация.pdf", render_pdf("<h1>Бағалау құралдары</h1>"))


def peak_rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(render, runs):
    render()  # warm-up
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        pdf = render()
        times.append((time.perf_counter() - began) * 1000)
    return times, pdf


def verdict(times):
    if max(times) <= TARGET_MS:
        return "met"
    return "met by the median only" if statistics.median(times) <= TARGET_MS else "missed"


def report(args):
    from django.utils import translation
    from pypdf import PdfReader

    from portfolio.services import draft_add_files, working_copy_save
    from toolkits.documents import blank_forms_pdf, toolkit_pdf
    from toolkits.services import toolkit_submit

    task, student = build()
    draft_add_files(task=task, student=student, uploads=[presentation_upload()])
    hand_ins = []
    for number in range(3):
        working_copy_save(task=task, student=student, data=toolkit(change=f" ({number})"))
        began = time.perf_counter()
        version = toolkit_submit(task=task, student=student, statement_accepted=True)
        hand_ins.append((time.perf_counter() - began) * 1000)
    content = version.content
    rss_before = peak_rss_mib()
    times, pdf = timed(lambda: toolkit_pdf(content=content, task=task, student=student, version=version), args.runs)
    draft_times, _draft = timed(lambda: blank_forms_pdf(data=content["toolkit"], task=task, student=student), args.runs)
    rss_after = peak_rss_mib()
    tracemalloc.start()
    toolkit_pdf(content=content, task=task, student=student, version=version)
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / f"toolkit-{translation.get_language()}.pdf").write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"Toolkit PDF, 5 instruments × 20 items, 8 criteria, one scoring sheet ({args.language})")
    print(f"    {len(pdf) / 1024:.0f} KiB, {pages} pages")
    for label, figures in (("toolkit_pdf (handed-in version)", times), ("blank_forms_pdf (draft)", draft_times)):
        print(
            f"    {label}, {args.runs} renders after a warm-up: median {statistics.median(figures):.0f} ms, "
            f"min {min(figures):.0f} ms, max {max(figures):.0f} ms — target ≤ {TARGET_MS} ms: {verdict(figures)}"
        )
    print(
        f"    whole hand-in (checks, snapshot, PDF, stored files), 3 runs: median {statistics.median(hand_ins):.0f} "
        f"ms, max {max(hand_ins):.0f} ms"
    )
    print(
        f"    process peak RSS (VmHWM): {rss_before:.0f} MiB before the renders, {rss_after:.0f} MiB after; "
        f"Python heap peak of one render (tracemalloc): {heap_peak / 1024 / 1024:.1f} MiB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--language", default="kk", choices=["kk", "ru", "en"])
    parser.add_argument("--save", type=Path, help="keep the PDF in this folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-toolkit-"))
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
