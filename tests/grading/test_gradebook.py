"""The gradebook's numbers on hand-computed cases, locks and sign-off (grading/selectors and services/gradebook.py).

The gradebook's pages are in test_gradebook_views.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coursework.models import Enrollment
from grading.models import ControlKind, CourseAssessment, LockedChange
from grading.selectors.gradebook import build_gradebook
from grading.services.gradebook import control_scores_save, gradebook_lock, gradebook_sign_off
from grading.services.grades import grade_save
from grading.services.letter_scale import letter_scale_ensure
from tests.conftest import make_user
from tests.grading.conftest import give, hand_in_work
from tests.portfolio.conftest import at

pytestmark = pytest.mark.django_db


def row_of(book, student):
    return next(row for row in book.rows if row.student == student)


@pytest.fixture
def scale(db):
    letter_scale_ensure()


def test_totals_run_over_the_tasks_with_maximum_points(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    give(cast, "СӨЖ 4", cast.student, Decimal(11))
    give(cast, "СӨЖ 3", cast.student, Decimal(9))
    give(cast, "СОӨЖ 1", cast.student, Decimal(5))  # no maximum: shown, not in the total
    CourseAssessment.objects.create(course=cast.course, uses_credit_formula=False)
    row = row_of(build_gradebook(cast.course, include_drafts=True), cast.student)
    assert row.total == Decimal(42)
    assert row.percent == Decimal("67.74")  # 42 ÷ 62
    assert row.letter.letter == "C"
    assert [cell.points for cell in row.cells] == [Decimal(5), Decimal(22), None, Decimal(11), None, Decimal(9)]


def test_missing_work_counts_zero_and_is_marked_once_due(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(0))
    book = build_gradebook(cast.course, include_drafts=True)
    graded_zero = row_of(book, cast.student).cells[1]
    missing = row_of(book, cast.classmate).cells[1]
    assert (graded_zero.points, graded_zero.missing) == (Decimal(0), False)
    assert (missing.points, missing.missing) == (None, True)
    assert row_of(book, cast.classmate).total == 0


def test_nothing_is_missing_before_its_due_moment(cast, scale):
    book = build_gradebook(cast.course, include_drafts=True, now=at(dt.date(2025, 9, 10)))
    cells = row_of(book, cast.classmate).cells
    assert [cell.missing for cell in cells] == [False] * 6
    book = build_gradebook(cast.course, include_drafts=True, now=at(dt.date(2025, 10, 6)))
    assert [cell.missing for cell in row_of(book, cast.classmate).cells] == [True, True, False, False, False, False]


def test_drafts_are_shown_to_staff_marked_and_never_counted(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(20), release=False)
    staff = row_of(build_gradebook(cast.course, include_drafts=True), cast.student)
    assert staff.cells[1].draft and staff.cells[1].points == Decimal(20)
    assert staff.total == 0
    own = build_gradebook(cast.course, include_drafts=False, student=cast.student)
    assert [row.student for row in own.rows] == [cast.student]
    assert own.rows[0].cells[1].points is None


def _credit_case(cast, exam):
    """ТК1 = 11/22 = 50, ТК2 = 20/40 = 50, РК1 = РК2 = 50 → Р1 = Р2 = РД = 50."""
    give(cast, "СӨЖ 1", cast.student, Decimal(11))
    give(cast, "СӨЖ 4", cast.student, Decimal(11))
    give(cast, "СӨЖ 3", cast.student, Decimal(9))
    scores = {(cast.student.pk, ControlKind.RK1): Decimal(50), (cast.student.pk, ControlKind.RK2): Decimal(50)}
    if exam is not None:
        scores[(cast.student.pk, ControlKind.EXAM)] = Decimal(exam)
    control_scores_save(course=cast.course, by=cast.instructor, scores=scores)
    return row_of(build_gradebook(cast.course, include_drafts=True), cast.student)


@pytest.mark.parametrize(
    ("exam", "final", "letter"),
    [("48.75", "49.50", "FX"), ("50", "50.00", "D")],
)
def test_the_credit_roll_up_on_hand_computed_cases(cast, scale, exam, final, letter):
    row = _credit_case(cast, exam)
    assert (row.tk1, row.tk2, row.r1, row.r2, row.rd) == (
        Decimal(50),
        Decimal(50),
        Decimal(50),
        Decimal(50),
        Decimal(50),
    )
    assert row.admitted is True
    assert row.final == (Decimal(final) if final else None)
    assert (row.letter.letter if row.letter else None) == letter


def test_before_the_exam_the_letter_is_the_provisional_one_of_the_percentage(cast, scale):
    row = _credit_case(cast, None)
    assert row.final is None and row.provisional
    assert row.percent == Decimal(50) and row.letter.letter == "D"  # 31 of 62


def test_below_the_admission_rating_there_is_no_final_grade(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(11))
    control_scores_save(
        course=cast.course,
        by=cast.instructor,
        scores={
            (cast.student.pk, ControlKind.RK1): Decimal("49.98"),
            (cast.student.pk, ControlKind.RK2): Decimal(50),
            (cast.student.pk, ControlKind.EXAM): Decimal(100),
        },
    )
    row = row_of(build_gradebook(cast.course, include_drafts=True), cast.student)
    # ТК2 = 0 (nothing graded after week 7): Р1 = 49.99, Р2 = 25, РД = 37.50
    assert row.rd == Decimal("37.50") and row.admitted is False
    assert row.final is None and row.letter is None  # not admitted: no letter at all


def test_94_99_is_a_minus_and_95_is_a(cast, scale):
    CourseAssessment.objects.create(course=cast.course, uses_credit_formula=False)
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    give(cast, "СӨЖ 4", cast.student, Decimal(22))
    give(cast, "СӨЖ 3", cast.student, Decimal("14.9"))  # 58.9 / 62 = 95.00
    give(cast, "СӨЖ 1", cast.classmate, Decimal(22))
    give(cast, "СӨЖ 4", cast.classmate, Decimal(22))
    give(cast, "СӨЖ 3", cast.classmate, Decimal("14.8"))  # 58.8 / 62 = 94.84
    book = build_gradebook(cast.course, include_drafts=True)
    assert row_of(book, cast.student).letter.letter == "A"
    assert row_of(book, cast.classmate).letter.letter == "A-"


def test_each_task_has_its_statistics(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    give(cast, "СӨЖ 1", cast.classmate, Decimal(11))
    stats = build_gradebook(cast.course, include_drafts=True).stats[1]
    assert (stats.submitted, stats.graded) == (2, 2)
    assert (stats.mean, stats.median, stats.minimum, stats.maximum) == (
        Decimal("16.50"),
        Decimal("16.50"),
        Decimal(11),
        Decimal(22),
    )
    assert stats.bins[5] == 1 and stats.bins[9] == 1  # 50% and 100%


# Locks and sign-off -------------------------------------------------------------------------


def test_after_a_lock_a_change_needs_a_reason_and_is_recorded(cast, scale):
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    scores = {(cast.student.pk, ControlKind.RK1): Decimal(70)}
    with pytest.raises(ValidationError):
        control_scores_save(course=cast.course, by=cast.instructor, scores=scores)
    assert not cast.course.control_scores.exists()
    control_scores_save(course=cast.course, by=cast.instructor, scores=scores, reason="Қайта тапсырды")
    change = LockedChange.objects.get()
    assert change.reason == "Қайта тапсырды" and change.changed_by == cast.instructor


def test_a_grade_saved_under_a_lock_needs_a_reason(cast, scale):
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    version = hand_in_work(cast.tasks["СӨЖ 1"], cast.student)
    with pytest.raises(ValidationError):
        grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=Decimal(10))
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=Decimal(10), reason="Апелляция")
    assert LockedChange.objects.get().reason == "Апелляция"


def test_a_lock_that_ended_no_longer_asks_for_a_reason(cast, scale):
    now = timezone.now()
    gradebook_lock(
        course=cast.course, by=cast.dept_admin, starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1)
    )
    control_scores_save(
        course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): Decimal(70)}
    )
    assert not LockedChange.objects.exists()


def test_sign_off_needs_a_lock(cast, scale):
    with pytest.raises(ValidationError):
        gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    sign_off = gradebook_sign_off(course=cast.course, by=cast.dept_admin, note="Тексерілді")
    assert sign_off.lock is not None


def test_a_rating_period_with_nothing_due_yet_has_no_current_control(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(11))
    book = build_gradebook(cast.course, include_drafts=True, now=at(dt.date(2025, 10, 20)))  # week 8
    row = row_of(book, cast.student)
    assert row.tk1 == Decimal(50)  # СӨЖ 1, due in week 5: 11 of 22
    assert row.tk2 is None  # СӨЖ 4 and СӨЖ 3 are not due yet
    assert row.provisional and row.letter.letter == "D"  # 50% of what is due so far


def test_a_page_of_the_gradebook_has_the_same_rows_and_statistics_as_the_whole(cast, scale):
    for number in range(7):
        student = make_user(f"p{number}", "student", cast.department, last_name=f"Бет {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        give(cast, "СӨЖ 1", student, Decimal(number * 3))
        give(cast, "СОӨЖ 1", student, Decimal(number), release=number % 2 == 0)
    give(cast, "СӨЖ 1", cast.student, Decimal(21), release=False)
    whole = build_gradebook(cast.course, include_drafts=True, sort="group")
    pages = [build_gradebook(cast.course, include_drafts=True, sort="group", page=n, per_page=4) for n in (1, 2, 3)]
    assert [row.student for page in pages for row in page.rows] == [row.student for row in whole.rows]
    assert [(r.total, r.percent, r.letter) for p in pages for r in p.rows] == [
        (r.total, r.percent, r.letter) for r in whole.rows
    ]
    for paged, full in zip(pages[0].stats, whole.stats, strict=True):
        assert (paged.submitted, paged.graded, paged.mean, paged.median, paged.minimum, paged.maximum, paged.bins) == (
            full.submitted,
            full.graded,
            full.mean,
            full.median,
            full.minimum,
            full.maximum,
            full.bins,
        )


def test_cached_statistics_follow_every_new_grade(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    first = build_gradebook(cast.course, include_drafts=True, sort="name", per_page=10).stats[1]
    assert (first.graded, first.mean) == (1, Decimal("22.00"))
    give(cast, "СӨЖ 1", cast.classmate, Decimal(11))
    second = build_gradebook(cast.course, include_drafts=True, sort="name", per_page=10).stats[1]
    assert (second.graded, second.mean) == (2, Decimal("16.50"))
