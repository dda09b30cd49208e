import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import Role
from coursework.models import Enrollment
from grading.models import Grade, LetterGrade
from grading.services.gradebook import control_scores_save
from grading.services.grades import grade_release, grade_save
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from portfolio import services as portfolio_services
from portfolio.models import Submission, Version
from tests.analysis.conftest import hand_in_analysis
from tests.caseplans.conftest import hand_in_plan
from tests.conftest import make_user
from tests.portfolio.conftest import at, docx, xlsx
from tests.toolkits.conftest import hand_in_toolkit

HANDED_IN = at(dt.date(2025, 9, 20))


@pytest.fixture
def rubric(db):
    letter_scale_ensure()
    return essay_rubric_ensure()


@pytest.fixture
def essay(cast, rubric):
    """СОӨЖ 1 with the seed rubric attached and 20 points set by the instructor."""
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = rubric
    task.max_points = Decimal(20)
    task.save()
    return task


def hand_in(task, student, moment=HANDED_IN, name="эссе.docx"):
    portfolio_services.draft_add_files(task=task, student=student, uploads=[docx(name)], now=moment)
    return portfolio_services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)


@pytest.fixture
def version(cast, essay):
    return hand_in(essay, cast.student)


def scores_for(rubric, picks):
    """picks: one (level title, points, comment) per criterion, in order."""
    result = []
    for criterion, (level_title, points, comment) in zip(
        rubric.criteria.prefetch_related("levels"), picks, strict=True
    ):
        level = next(level for level in criterion.levels.all() if level.title == level_title)
        result.append({"criterion": criterion, "level": level, "points": Decimal(points), "comment": comment})
    return result


GOOD_PICKS = [
    ("Өте жақсы", "25", "Тақырып толық ашылған."),
    ("Жақсы", "18", "Құрылымы сақталған."),
    ("Жақсы", "17", ""),
    ("Өте жақсы", "22", ""),
    ("Қанағаттанарлық", "13", "Қорытынды әлсіз."),
]  # sum 95 of 125 → 76% → 15.2 of 20


def hand_in_work(task, student, moment=HANDED_IN):
    """Hand in what the task takes: a plan built in the page for the case plan, the comparison built in the page
    with its report for the model comparison, the toolkit built in the page with its presentation for the assessment
    toolkit, a spreadsheet for the service repository, an essay for the rest."""
    if task.deliverable == "case_plan":
        return hand_in_plan(task, student, moment)
    if task.deliverable == "model_comparison":
        return hand_in_analysis(task, student, moment)
    if task.deliverable == "assessment_toolkit":
        return hand_in_toolkit(task, student, moment)
    upload = xlsx() if task.deliverable == "service_repository" else docx()
    portfolio_services.draft_add_files(task=task, student=student, uploads=[upload], now=moment)
    return portfolio_services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)


def give(cast, label, student, points, release=True):
    """Hand in the task labelled ``label`` for ``student`` and grade it with ``points``, released unless told."""
    task = cast.tasks[label]
    version = hand_in_work(task, student)
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=points)
    if release:
        grade_release(grade=grade, by=cast.instructor, notify=False)
    return grade


# Letter scales ------------------------------------------------------------------------------------


@pytest.fixture
def national(db):
    """The national letter scale (Order No. 152), loaded as letter_scale_ensure loads it."""
    return letter_scale_ensure()


def replaced(rows, which, **changes):
    """The rows with the row of letter ``which`` changed."""
    return [{**each, **changes} if each["letter"] == which else each for each in rows]


def without(rows, which):
    return [each for each in rows if each["letter"] != which]


def letter_counts():
    """(rows of the national scale, rows of departments' own scales)."""
    return (
        LetterGrade.objects.filter(department__isnull=True).count(),
        LetterGrade.objects.filter(department__isnull=False).count(),
    )


# Feedback on the essay ----------------------------------------------------------------------------

KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
FEEDBACK = f"Жұмыс жақсы орындалған, қорытындыны нақтылаңыз. Әріптер: {KAZAKH_LETTERS}."
FEEDBACK_PICKS = [
    ("Өте жақсы", "23", "Тақырып толық ашылған, теориялық негіздер анық."),
    ("Жақсы", "17.5", "Құрылымы сақталған, бөлімдер байланысы әлсіз."),
    ("Өте жақсы", "21", "Дереккөздер ғылыми талапқа сай."),
    ("Жақсы", "16", "Бірнеше пунктуациялық қате бар."),
    ("Қанағаттанарлық", "12", "Өз көзқарасыңызды дәлелдеп, қорытынды жасаңыз."),
]  # 89.5 of 125 → 71.6% → 14.3 of 20 points → C+ (2.33), holistic band "Жақсы" (70–89)
FULL_MARKS = [("Өте жақсы", "25", "")] * 5  # 125 of 125 → 20 of 20
LATE = at(dt.date(2025, 9, 22), 10, 30)  # due Sunday 21 September, 23:59


def grade_of(version, *, scores=(), **values):
    return grade_save(version=version, grader=values.pop("grader"), expected_lock_version=0, scores=scores, **values)


# Late work is offered a lower band than 70–89 (the document's rule); the grader keeps it, saying why.
EXCUSED_LATENESS = "Кешігу дәлелді себеппен: анықтама берілді."


@pytest.fixture
def draft(cast, essay):
    """The student's late essay graded on the seed rubric, its band kept with a reason; not released yet."""
    version = hand_in(essay, cast.student, moment=LATE)
    return grade_of(
        version,
        grader=cast.instructor,
        scores=scores_for(essay.rubric, FEEDBACK_PICKS),
        feedback=FEEDBACK,
        originality_percent=Decimal("86.5"),
        originality_checker="Антиплагиат.kz",
        band_kept_reason=EXCUSED_LATENESS,
    )


@pytest.fixture
def released(cast, draft):
    return grade_release(grade=draft, by=cast.instructor)


# A graded course, for the gradebook's exports -------------------------------------------------------

LATE_FOR_SOZH_1 = at(dt.date(2025, 10, 6), 9, 15)  # СӨЖ 1 is due Sunday 5 October, 23:59


@pytest.fixture
def graded(cast, essay):
    """The student: the essay (15.2 of 20) and СӨЖ 1 (20 of 22, late) released, РК1 80, РК2 70, exam 90.

    The classmate: the essay graded the same way but still a draft. The tasks with points: 20 + 22 + 22 + 18 = 82.
    """
    own = hand_in(essay, cast.student)
    grade = grade_save(
        version=own, grader=cast.instructor, expected_lock_version=0, scores=scores_for(essay.rubric, GOOD_PICKS)
    )
    grade_release(grade=grade, by=cast.instructor, notify=False)
    grade_save(
        version=hand_in(essay, cast.classmate),
        grader=cast.instructor,
        expected_lock_version=0,
        scores=scores_for(essay.rubric, GOOD_PICKS),
    )
    repository = cast.tasks["СӨЖ 1"]
    portfolio_services.draft_add_files(task=repository, student=cast.student, uploads=[xlsx()], now=LATE_FOR_SOZH_1)
    version = portfolio_services.draft_submit(
        task=repository, student=cast.student, statement_accepted=True, now=LATE_FOR_SOZH_1
    )
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=20)
    grade_release(grade=grade, by=cast.instructor, notify=False)
    control_scores_save(
        course=cast.course,
        by=cast.instructor,
        scores={
            (cast.student.pk, "rk1"): Decimal(80),
            (cast.student.pk, "rk2"): Decimal(70),
            (cast.student.pk, "exam"): 90,
        },
    )
    return cast


def enrol_graded(cast, count, start=0):
    """``count`` more students, each with a released grade for СӨЖ 1 and a РК1 score, written directly."""
    task = cast.tasks["СӨЖ 1"]
    moment = at(dt.date(2025, 10, 1))
    for number in range(start, start + count):
        student = make_user(f"extra{number}", Role.STUDENT, cast.department, last_name=f"Студент {number:02d}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group=f"СЖ-23-0{number % 2 + 1}")
        submission = Submission.objects.create(task=task, student=student)
        version = Version.objects.create(
            submission=submission, number=1, state="submitted", submitted_at=moment, statement_accepted=True
        )
        points = Decimal(number % 23)
        percent = (points * 100 / 22).quantize(Decimal("0.01"))
        Grade.objects.create(
            version=version,
            submission=submission,
            state=Grade.State.RELEASED,
            released_at=moment,
            points=points,
            percent=percent,
            released_points=points,
            released_percent=percent,
        )
        control_scores_save(course=cast.course, by=None, scores={(student.pk, "rk1"): Decimal(60)})


# Reading the documents ----------------------------------------------------------------------------


def gettext_kk(message):
    with translation.override("kk"):
        return translation.gettext(message)


def layout_text(content):
    """The PDF's text as pdftotext lays it out: one printed line per line, columns kept apart by spaces."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def flat(text):
    return " ".join(text.split())


def text_of(content):
    """The PDF's text (pdftotext, reading order), whitespace collapsed so that wrapped cells read whole."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return flat(result.stdout.decode())


def open_sheet(content):
    workbook = load_workbook(io.BytesIO(content), read_only=False, data_only=False)
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def header_row(sheet):
    """The number of the table's header row: the one that starts with "Студент"."""
    return next(cell.row for cell in sheet["A"] if cell.value == "Студент")
