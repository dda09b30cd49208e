"""The gradebook's numbers on hand-computed cases, locks, unlocking and sign-off (grading/selectors/gradebook.py,
rollup.py and grading/services/gradebook.py).

The gradebook's pages are in test_gradebook_views.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from coursework.models import Enrollment
from grading.models import ControlKind, CourseAssessment, LockedChange
from grading.selectors.gradebook import build_gradebook, courses_by_scale
from grading.selectors.grades import letters_for
from grading.services.gradebook import (
    control_scores_save,
    gradebook_lock,
    gradebook_sign_off,
    gradebook_unlock,
)
from grading.services.grades import grade_release, grade_save
from grading.services.letter_scale import letter_scale_ensure, letter_scale_save, single_f_rows
from tests.conftest import make_user
from tests.grading.conftest import EXCUSED_LATENESS, FULL_MARKS, give, hand_in_work, scores_for
from tests.portfolio.conftest import at

pytestmark = pytest.mark.django_db


def row_of(book, student):
    return next(row for row in book.rows if row.student == student)


@pytest.fixture
def scale(db):
    letter_scale_ensure()


def give_percent(cast, label, student, percent, release=True):
    """Hand in a task without maximum points and grade it with a percentage, released unless told."""
    version = hand_in_work(cast.tasks[label], student)
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, percent=Decimal(percent))
    if release:
        grade_release(grade=grade, by=cast.instructor, notify=False)
    return grade


def test_totals_run_over_the_tasks_with_maximum_points(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    give(cast, "СӨЖ 4", cast.student, Decimal(11))
    give(cast, "СӨЖ 3", cast.student, Decimal(9))
    give_percent(cast, "СОӨЖ 1", cast.student, 80)  # no maximum: shown as its percentage, not in the total
    CourseAssessment.objects.create(course=cast.course, uses_credit_formula=False)
    row = row_of(build_gradebook(cast.course, include_drafts=True), cast.student)
    assert row.total == Decimal(42)
    assert row.percent == Decimal("67.74")  # 42 ÷ 62
    assert row.letter.letter == "C"
    assert [cell.points for cell in row.cells] == [None, Decimal(22), None, Decimal(11), None, Decimal(9)]
    assert [cell.value for cell in row.cells] == [Decimal(80), Decimal(22), None, Decimal(11), None, Decimal(9)]
    assert [cell.in_percent for cell in row.cells] == [True, False, False, False, False, False]


def test_a_task_without_points_sorts_by_its_percentage(cast, scale):
    give_percent(cast, "СОӨЖ 1", cast.student, 40)
    give_percent(cast, "СОӨЖ 1", cast.classmate, 90)
    key = f"task-{cast.tasks['СОӨЖ 1'].pk}"
    ascending = build_gradebook(cast.course, include_drafts=True, sort=key)
    descending = build_gradebook(cast.course, include_drafts=True, sort=f"-{key}")
    assert [row.student for row in ascending.rows] == [cast.student, cast.classmate]
    assert [row.student for row in descending.rows] == [cast.classmate, cast.student]


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


def test_before_the_exam_the_letter_is_the_provisional_one_of_the_ratings(cast, scale):
    row = _credit_case(cast, None)
    assert row.final is None and row.provisional
    assert row.rd == Decimal(50) and row.letter.letter == "D"  # (Р1 + Р2) ÷ 2


# Provisional letters --------------------------------------------------------------------------


WEEK_8 = at(dt.date(2025, 10, 20))  # СӨЖ 1 (week 5) is due; СӨЖ 4 (week 10) and СӨЖ 3 (week 14) are not


def test_the_provisional_letter_counts_the_midterm_control(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(11))  # ТК1 = 50
    control_scores_save(
        course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): Decimal(100)}
    )
    row = row_of(build_gradebook(cast.course, include_drafts=True, now=WEEK_8), cast.student)
    assert (row.tk1, row.r1) == (Decimal(50), Decimal(75))
    assert row.provisional and row.letter.letter == "B-"  # Р1 = 0.5 × 50 + 0.5 × 100 = 75, not ТК1's 50 (D)


def test_the_provisional_letter_is_the_mean_of_the_periods_begun(cast, scale):
    give(cast, "СӨЖ 1", cast.student, Decimal(11))  # ТК1 = 50
    give(cast, "СӨЖ 4", cast.student, Decimal(22))  # ТК2 = 22 of 40 (СӨЖ 3 missing) = 55
    control_scores_save(
        course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): Decimal(100)}
    )
    row = row_of(build_gradebook(cast.course, include_drafts=True), cast.student)
    assert (row.r1, row.tk2, row.r2) == (Decimal(75), Decimal(55), None)
    assert row.provisional and row.letter.letter == "C"  # (Р1 75 + ТК2 55 alone, no РК2 yet) ÷ 2 = 65


@pytest.mark.parametrize("include_drafts", [True, False], ids=["staff", "student"])
def test_work_handed_in_and_not_graded_holds_the_letter_back(cast, scale, include_drafts):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    hand_in_work(cast.tasks["СӨЖ 4"], cast.student)
    row = build_gradebook(cast.course, include_drafts=include_drafts, student=cast.student).rows[0]
    assert row.waiting == 1
    assert row.letter is None and not row.provisional  # not a provisional F from the work not graded yet
    assert row.cells[3].waiting and not row.cells[1].waiting


@pytest.mark.parametrize("include_drafts", [True, False], ids=["staff", "student"])
def test_a_draft_grade_holds_the_letter_back_until_it_is_released(cast, scale, include_drafts):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    draft = give(cast, "СӨЖ 4", cast.student, Decimal(22), release=False)
    row = build_gradebook(cast.course, include_drafts=include_drafts, student=cast.student).rows[0]
    assert row.letter is None and row.waiting == 1
    grade_release(grade=draft, by=cast.instructor, notify=False)
    row = build_gradebook(cast.course, include_drafts=include_drafts, student=cast.student).rows[0]
    assert row.waiting == 0 and row.letter is not None


def test_ungraded_work_holds_back_the_final_letter_too(cast, scale):
    _credit_case(cast, "90")
    hand_in_work(cast.tasks["СОӨЖ 2-3"], cast.student)
    row = row_of(build_gradebook(cast.course, include_drafts=True), cast.student)
    assert row.final is not None and row.letter is None


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


def _lock_now(cast, **period):
    starts_at = period.pop("starts_at", timezone.now() - dt.timedelta(hours=1))
    return gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=starts_at, **period)


def test_locking_twice_is_refused_with_the_period_in_force(cast, scale):
    _lock_now(cast)
    with pytest.raises(ValidationError) as refused:
        _lock_now(cast)
    assert refused.value.code == "lock_overlap"
    assert cast.course.locks.count() == 1


def test_a_lock_overlapping_a_planned_one_is_refused_and_one_after_it_is_not(cast, scale):
    now = timezone.now()
    _lock_now(cast, starts_at=now + dt.timedelta(days=10), ends_at=now + dt.timedelta(days=20))
    with pytest.raises(ValidationError):
        _lock_now(cast, starts_at=now + dt.timedelta(days=5), ends_at=now + dt.timedelta(days=11))
    with pytest.raises(ValidationError):
        _lock_now(cast, starts_at=now + dt.timedelta(days=5))  # open-ended: reaches the planned one
    _lock_now(cast, starts_at=now + dt.timedelta(days=20))  # begins as the planned one ends
    _lock_now(cast, starts_at=now, ends_at=now + dt.timedelta(days=10))  # ends as it begins
    assert cast.course.locks.count() == 3


def test_unlocking_needs_a_reason_and_keeps_who_when_and_why(cast, scale):
    lock = _lock_now(cast)
    with pytest.raises(ValidationError) as refused:
        gradebook_unlock(lock=lock, by=cast.dept_admin, reason="  ")
    assert refused.value.code == "reason_required"
    moment = timezone.now()
    gradebook_unlock(lock=lock, by=cast.dept_admin, reason="Апелляция нәтижесі", now=moment)
    lock.refresh_from_db()
    assert (lock.unlocked_by, lock.unlocked_at, lock.unlock_reason) == (cast.dept_admin, moment, "Апелляция нәтижесі")
    with pytest.raises(ValidationError) as again:
        gradebook_unlock(lock=lock, by=cast.dept_admin, reason="Тағы")
    assert again.value.code == "already_unlocked"


def test_after_unlocking_changes_need_no_reason_and_the_results_may_be_locked_again_at_once(cast, scale):
    lock = _lock_now(cast)
    gradebook_unlock(lock=lock, by=cast.dept_admin, reason="Түзету")
    control_scores_save(
        course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): Decimal(70)}
    )
    assert not LockedChange.objects.exists()
    # The form offers the current minute: a few seconds before the unlocking, and still allowed.
    again = _lock_now(cast, starts_at=timezone.now().replace(second=0, microsecond=0))
    assert cast.course.locks.count() == 2
    with pytest.raises(ValidationError):
        control_scores_save(
            course=cast.course, by=cast.instructor, scores={(cast.student.pk, ControlKind.RK1): Decimal(75)}
        )
    assert again.is_active(timezone.now())


def test_a_lock_that_ended_cannot_be_unlocked(cast, scale):
    now = timezone.now()
    lock = _lock_now(cast, starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        gradebook_unlock(lock=lock, by=cast.dept_admin, reason="Кеш")
    assert refused.value.code == "lock_ended"


def test_a_gradebook_is_signed_off_once_under_a_lock(cast, scale):
    _lock_now(cast)
    gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    with pytest.raises(ValidationError):
        gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    assert cast.course.sign_offs.count() == 1


# The letter scale a sign-off keeps ----------------------------------------------------------------


def test_the_sign_off_keeps_the_departments_letters_of_that_moment(cast, scale):
    _lock_now(cast)
    sign_off = gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    letters = letters_for(cast.department)
    assert [row["letter"] for row in sign_off.letter_scale] == [letter.letter for letter in letters]
    fx = next(row for row in sign_off.letter_scale if row["letter"] == "FX")
    assert (fx["min_percent"], fx["max_percent"], fx["gpa"], fx["traditional"]) == (
        "25.00",
        "49.00",
        "0.50",
        "unsatisfactory",
    )


def _forty_percent(cast):
    """The student at 40%: FX on the national scale, F on the single-F one."""
    CourseAssessment.objects.create(course=cast.course, uses_credit_formula=False)
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    give(cast, "СӨЖ 4", cast.student, Decimal("2.8"))  # 24.8 of 62 = 40%


def test_a_signed_off_gradebook_keeps_its_scale_when_the_department_changes_it(cast, scale):
    _forty_percent(cast)
    _lock_now(cast)
    gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    letter_scale_save(department=cast.department, rows=single_f_rows())
    book = build_gradebook(cast.course, include_drafts=True)
    assert book.signed_scale and row_of(book, cast.student).letter.letter == "FX"
    assert "FX" in [letter.letter for letter in book.letters]


def test_an_open_gradebook_follows_the_departments_scale(cast, scale):
    _forty_percent(cast)
    letter_scale_save(department=cast.department, rows=single_f_rows())
    book = build_gradebook(cast.course, include_drafts=True)
    assert not book.signed_scale and row_of(book, cast.student).letter.letter == "F"


def test_a_sign_off_without_a_snapshot_follows_the_departments_scale(cast, scale):
    _forty_percent(cast)
    _lock_now(cast)
    gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    cast.course.sign_offs.update(letter_scale=[])  # signed off before sign-offs kept their scale
    letter_scale_save(department=cast.department, rows=single_f_rows())
    assert row_of(build_gradebook(cast.course, include_drafts=True), cast.student).letter.letter == "F"


def test_the_scale_reaches_the_open_courses_and_not_the_signed_off_ones(cast, scale):
    assert courses_by_scale(cast.department) == ([cast.course], [])
    _lock_now(cast)
    gradebook_sign_off(course=cast.course, by=cast.dept_admin)
    assert courses_by_scale(cast.department) == ([], [cast.course])
    assert courses_by_scale(cast.other_department) == ([cast.other_course], [])


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
        give_percent(cast, "СОӨЖ 1", student, number * 10, release=number % 2 == 0)
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


def test_a_released_grade_counts_as_released_until_the_next_release(cast, released):
    def essay_cell():
        book = build_gradebook(cast.course, include_drafts=True, student=cast.student)
        index = [task.pk for task in book.tasks].index(released.submission.task_id)
        return book.rows[0].cells[index], book.stats[index]

    changed = grade_save(
        version=released.version,
        grader=cast.instructor,
        expected_lock_version=released.lock_version,
        scores=scores_for(released.rubric, FULL_MARKS),
        band_kept_reason=EXCUSED_LATENESS,
    )
    cell, stats = essay_cell()
    assert (cell.points, cell.draft, stats.maximum) == (Decimal("14.3"), False, Decimal("14.3"))
    grade_release(grade=changed, by=cast.instructor, notify=False)
    cell, stats = essay_cell()
    assert (cell.points, stats.maximum) == (Decimal(20), Decimal(20))


def test_a_change_after_the_lock_reads_in_each_readers_language(cast):
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    with translation.override("kk"):
        control_scores_save(
            course=cast.course,
            by=cast.instructor,
            scores={(cast.student.pk, "rk1"): Decimal(80)},
            reason="Қате түзетілді",
        )
    change = LockedChange.objects.get()
    with translation.override("ru"):
        assert change.description == "Изменено результатов контроля: 1"
    with translation.override("kk"):
        assert change.description == change.what == "Өзгертілген бақылау нәтижелері: 1"
