"""The demo's assessment toolkits (СӨЖ 3, the final project): toolkits that students built in the portal for a client
category of the course's list, handed in with their presentation, defended and graded with the task's rubric.

The term is in week 7 when the demo loads and СӨЖ 3 is due at the end of week 14, so the picture is of early work:
four students handed in during weeks 5 and 6 (one of them twice), each a toolkit of their own — survivors of domestic
violence, a family in a difficult life situation, a person facing unemployment, a lonely elderly person — with four
to six social-history criteria and two or three instruments of different types. They defended early, on the
Thursday of week 6 (the regular defences, in week 14, are open for booking), and were graded: three grades are
released, one is still a draft. student1 has begun a toolkit and not handed it in; student2, booked for a defence
in week 14, has not begun.
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pptx import Presentation

from coursework.models import Attendance, Booking, Slot, SlotKind
from demo import toolkit_text
from demo.grades import LEVEL_SHARES, rubric_scores
from grading.services.grades import grade_release, grade_save
from portfolio.models import Submission, Version, WorkingCopy
from portfolio.services import draft_add_files
from toolkits.services import toolkit_save, toolkit_submit

TASK = "СӨЖ 3"
ROOM = "Әл-Фараби 71, 6-корпус, 312-аудитория"
# Who handed in which toolkit, at which moments as (week of the term, weekday with Monday 0, hour) in Almaty time,
# and their levels on the rubric's criteria (client category, criteria, instruments, readiness, presentation,
# defence), 1 the best. When there are two moments, the first version lacks the last item of the last instrument.
WORKS = {
    "student6": (toolkit_text.DOMESTIC_VIOLENCE, [(5, 3, 21)], (1, 1, 2, 1, 2, 1)),
    "student9": (toolkit_text.FAMILIES, [(5, 4, 17), (6, 1, 20)], (2, 1, 1, 2, 2, 2)),
    "student14": (toolkit_text.UNEMPLOYED, [(6, 0, 19)], (2, 3, 2, 2, 3, 2)),
    "student17": (toolkit_text.ELDERLY, [(6, 2, 16)], (1, 2, 1, 1, 2, 1)),
}
DRAFT_GRADE = "student17"  # graded, not released yet
# Begun and saved, not handed in.
STARTED = {"student1": (toolkit_text.DRAFT, (6, 5, 11))}
# Everyone above defended on the Thursday of week 6, in slots of 20 minutes from 15:00, two seats each.
EARLY_DEFENCE = (6, 3, 15)
COMMENTS = [
    ("Клиенттер санаты нақты, әдістер оның ерекшеліктеріне бейімделген.",
     "Санаттың ерекшеліктерін сұрақтарда толығырақ ескеріңіз."),
    ("Әлеуметтік тарих критерийлері алдын ала анықталып, әр құралда көрініс тапқан.",
     "Кейбір критерийге бір ғана тармақ қызмет етеді: оны толықтырыңыз."),
    ("Құралдар әртүрлі, сұрақтар нақты әрі бейтарап, шкала белгілері сипатталған.",
     "Кейбір сұрақ екі мағыналы: бір сұрақта бір ғана нәрсені сұраңыз."),
    ("Нұсқаулық пен есептеу парағы бар: бланкіні клиентпен бірден қолдануға болады.",
     "Нәтижелерді өңдеу тәсілін нұсқаулықта нақтырақ жазыңыз."),
    ("Презентация құрылымды, құралдарды қолдану тәртібі түсінікті көрсетілген.",
     "Слайдтарда мәтін көп: негізгі ойларды қысқа жазыңыз."),
    ("Қорғауда құралдардың неге таңдалғанын сенімді негіздеді.",
     "Сұрақтарға жауап берді, бірақ шкаланың ұпайын түсіндіруі толық емес."),
]  # fmt: skip
FEEDBACK = [
    "Өте жақсы жоба: құралдар клиенттер санатына бейімделген, критерийлер толық қамтылған, қорғау сенімді өтті.",
    "Жақсы жоба. Критерийлердің қамтылуын теңестіріп, нәтижелерді өңдеу тәсілін нақтылаңыз.",
    "Жоба талапқа сай, бірақ критерийлер құралдарда әркелкі ашылған; сұрақтардың тұжырымын пысықтаңыз.",
]


def demo_toolkits(*, course):
    """Build, hand in, defend and grade the demo's assessment toolkits of СӨЖ 3.

    Rule: made only while nobody has begun it (no working copy and no hand-in of the task), so loading the demo again
    changes nothing.
    """
    task = course.tasks.filter(label=TASK).first()
    instructor = course.instructors.first()
    if task is None or instructor is None:
        return
    if WorkingCopy.objects.filter(task=task).exists() or Submission.objects.filter(task=task).exists():
        return
    students = {
        enrollment.student.username: enrollment.student
        for enrollment in course.enrollments.select_related("student").filter(student__username__in=[*WORKS, *STARTED])
    }
    for username, (content, moments, _levels) in WORKS.items():
        if username in students:
            _hand_in(task, students[username], content, [_moment(course, when) for when in moments])
    for username, (content, when) in STARTED.items():
        if username in students:
            values = form_values(content)
            toolkit_save(task=task, student=students[username], values=values, now=_moment(course, when))
    defended = [students[username] for username in WORKS if username in students]
    _early_defence(task, defended, instructor)
    _grade(task, instructor)


def _moment(course, when):
    """The moment of (week, weekday, hour) of the course's term, in Almaty time."""
    week, weekday, hour = when
    day = course.start_date + dt.timedelta(weeks=week - 1, days=weekday)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)), timezone.get_default_timezone())


def form_values(content, *, leave_out_last=False):
    """The toolkit as the page's form sends it; ``leave_out_last`` leaves out the last item of the last instrument
    (a first version)."""
    values = {"category": content["category"], "category_other": content.get("category_other", "")}
    for index, (key, name, definition) in enumerate(content["criteria"]):
        values |= {f"criteria-{index}-key": key, f"criteria-{index}-name": name}
        values[f"criteria-{index}-definition"] = definition
    instruments = content["instruments"]
    for number, (key, kind, title, purpose, instructions, items) in enumerate(instruments):
        prefix = f"instruments-{number}"
        values |= {f"{prefix}-key": key, f"{prefix}-type": kind, f"{prefix}-title": title}
        values |= {f"{prefix}-purpose": purpose, f"{prefix}-instructions": instructions}
        if leave_out_last and number == len(instruments) - 1:
            items = items[:-1]
        for position, item in enumerate(items):
            values |= _item_values(f"{prefix}-items-{position}", f"q{number}x{position}", item)
    return values


def _item_values(prefix, key, item):
    text, criterion, answer, *extra = item
    values = {f"{prefix}-key": key, f"{prefix}-text": text, f"{prefix}-criterion": criterion}
    values[f"{prefix}-answer"] = answer
    if answer in ("one_choice", "several_choices"):
        values[f"{prefix}-options"] = "\n".join(extra[0])
    if answer == "scale":
        lowest, highest, anchors = extra[0] if extra else toolkit_text.SCALE
        values |= {f"{prefix}-scale_from": str(lowest), f"{prefix}-scale_to": str(highest)}
        values |= {f"{prefix}-anchor-{point}": label for point, label in anchors.items()}
    return values


def _hand_in(task, student, content, moments):
    """Upload the presentation and hand in the toolkit at each of ``moments``; when there are two, the first version
    lacks the last item of the last instrument. The presentation stays in the draft that the second version starts
    from."""
    for number, moment in enumerate(moments, start=1):
        if number == 1:
            upload = SimpleUploadedFile(f"Қорғау_{student.last_name}.pptx", presentation_pptx(student, content))
            draft_add_files(task=task, student=student, uploads=[upload], now=moment - dt.timedelta(hours=1))
        values = form_values(content, leave_out_last=number < len(moments))
        toolkit_save(task=task, student=student, values=values, now=moment - dt.timedelta(minutes=30))
        toolkit_submit(task=task, student=student, statement_accepted=True, now=moment)


def presentation_slides(student, content):
    """The slides of the student's defence, as (title, lines): the project, its client category and aim, the
    criteria, one slide for each instrument, how the instruments are used, the conclusion."""
    names = toolkit_text.TYPE_NAMES
    slides = [
        ("Бағалау құралдарының жиынтығы", [content["title"], student.display_name]),
        ("Клиенттер санаты және жобаның мақсаты", [toolkit_text.CATEGORY_NAMES[content["category"]], content["aim"]]),
        ("Әлеуметтік тарих критерийлері", [name for _key, name, _definition in content["criteria"]]),
    ]
    for _key, kind, title, purpose, _instructions, items in content["instruments"]:
        slides.append((title, [names[kind], purpose, f"Тармақтар саны: {len(items)}"]))
    slides += [("Құралдарды қолдану тәртібі", content["usage"]), ("Қорытынды", [content["conclusion"]])]
    return slides


def presentation_pptx(student, content):
    """The student's presentation as a real pptx: a title slide, then a slide of bullets for each of the others,
    each title in the slide's title placeholder (what the portal reads as its outline)."""
    deck = Presentation()
    for number, (title, lines) in enumerate(presentation_slides(student, content)):
        slide = deck.slides.add_slide(deck.slide_layouts[0 if number == 0 else 1])
        slide.shapes.title.text = title
        body = slide.placeholders[1].text_frame
        body.text = lines[0]
        for line in lines[1:]:
            body.add_paragraph().text = line
    stream = io.BytesIO()
    deck.save(stream)
    return stream.getvalue()


def _early_defence(task, students, instructor):
    """The early defence of ``students``, each of whom came."""
    first = _moment(task.course, EARLY_DEFENCE)
    step = dt.timedelta(minutes=20)
    for number in range((len(students) + 1) // 2):
        slot = Slot.objects.create(
            task=task,
            kind=SlotKind.DEFENCE,
            starts_at=first + step * number,
            ends_at=first + step * (number + 1),
            place=ROOM,
            capacity=2,
            booking_closes_at=first - dt.timedelta(hours=24),
            created_by=instructor,
        )
        for student in students[number * 2 : number * 2 + 2]:
            booked_at = first - dt.timedelta(days=3)
            Booking.objects.create(slot=slot, student=student, attendance=Attendance.ATTENDED, booked_at=booked_at)


def _grade(task, instructor):
    """Grade the latest version of each toolkit of WORKS with the task's rubric, its "Қорғау" criterion included;
    release all but DRAFT_GRADE."""
    if task.rubric_id is None:
        return
    criteria = list(task.rubric.criteria.prefetch_related("levels"))
    versions = (
        Version.objects.filter(submission__task=task, submission__student__username__in=WORKS, is_latest=True)
        .select_related("submission__student")
        .order_by("submission__student__username")
    )
    for index, version in enumerate(versions):
        username = version.submission.student.username
        levels = WORKS[username][2]
        picks = []
        for position in range(len(criteria)):
            level = levels[position % len(levels)]
            comment = COMMENTS[position % len(COMMENTS)][level > 1]
            picks.append((level, LEVEL_SHARES[level][(index + position) % 4], comment))
        grade = grade_save(
            version=version,
            grader=instructor,
            expected_lock_version=0,
            scores=rubric_scores(criteria, picks),
            feedback=FEEDBACK[min(round(sum(levels) / len(levels)) - 1, len(FEEDBACK) - 1)],
        )
        if username != DRAFT_GRADE:
            grade_release(grade=grade, by=instructor, notify=False)
