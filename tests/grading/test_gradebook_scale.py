"""The gradebook at scale: every sort's page from the cached order and statistics (grading/selectors/gradebook.py).

What is checked: the page costs the same queries at 12 and at 36 students, on a cold cache right after a change and
on a warm one, for every sort; the pages served from the cache are the rows, in the order, of a full build; the
statistics the database computes (all medians in one query) are those of the rows; the figures a whole class is
ordered by, worked out without building its rows, are those of the rows; and no change that could move a student — a
grade, a score, an extension, a due moment passing, a hidden task, the roster, a name, drafts shown or not, the
formula — is ever answered with the order cached before it."""

import datetime as dt
import statistics
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from coursework.models import Enrollment
from coursework.services.tasks import task_hide
from grading.models import ControlScore, CourseAssessment, Grade
from grading.selectors.gradebook import ROSTER_ORDER, _sheet, _standings, build_gradebook
from grading.selectors.statistics import sheet_statistics
from grading.services.gradebook import control_scores_save
from grading.services.grades import grade_release, grade_save
from portfolio.models import Submission, Version
from portfolio.services import extension_grant
from tests.conftest import make_user
from tests.portfolio.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(dt.date(2025, 12, 22))  # after every task's due moment (the last, СӨЖ 3, is due in week 14)
HANDED_IN = at(dt.date(2025, 9, 10))
GROUPS = ["СЖ-23-01", "СЖ-23-02", "СЖ-23-03"]
SURNAMES = ["Әбенова", "Бекова", "Жақыпов", "Қасымов"]  # with the given names below, names repeat from the 13th
GIVEN = ["Айгүл", "Ерлан", "Інжу"]
SORTS = ["name", "-name", "group", "-group", "total", "-total", "percent", "-percent"]
SORTS += ["rd", "-rd", "final", "-final", "task", "-task", "task-percent", "-task-percent"]
# The queries of a page (the view's own included) on a cold cache right after a change, and on a warm one. A sort
# by name or group reads the statistics from the database when they are not cached (one query: the hand-ins
# aggregates, all medians at once); a computed sort builds the class instead, in as many queries as a page.
NAME_QUERIES = {"cold": 20, "warm": 19}
COMPUTED_QUERIES = {"cold": 19, "warm": 19}


def sort_of(cast, sort):
    """``task`` stands for СӨЖ 1's column (points), ``task-percent`` for СОӨЖ 1's (a percentage)."""
    for alias, label in (("task-percent", "СОӨЖ 1"), ("task", "СӨЖ 1")):
        if sort.lstrip("-") == alias:
            return sort.replace(alias, f"task-{cast.tasks[label].pk}")
    return sort


def enrol_class(cast, size, first=0):
    """``size`` more students in three groups, written directly: a hand-in of most tasks with a released grade,
    some drafts, some not graded yet, some missing, figures that tie, names that repeat, and РК1, РК2 and most
    exams entered."""
    tasks = list(cast.course.tasks.order_by("position", "pk"))
    for number in range(first, first + size):
        student = make_user(
            f"c{number:03d}",
            "student",
            cast.department,
            last_name=SURNAMES[number % 4],
            first_name=GIVEN[number % 3],
        )
        Enrollment.objects.create(course=cast.course, student=student, academic_group=GROUPS[number % 3])
        for index, task in enumerate(tasks):
            if (number + 2 * index) % 9 == 0:
                continue  # missing
            submission = Submission.objects.create(task=task, student=student)
            version = Version.objects.create(
                submission=submission,
                number=1,
                state=Version.State.SUBMITTED,
                submitted_at=HANDED_IN,
                due_at=task.due_at,
                is_late=number % 5 == 0,
                statement_accepted=True,
                is_latest=True,
            )
            if (number + index) % 11 == 0:
                continue  # handed in, not graded yet
            percent = Decimal((number * 13 + index * 29) % 9 * 10 + 10)
            points = None if task.max_points is None else (task.max_points * percent / 100).quantize(Decimal("0.1"))
            released = (number + index) % 5 != 0
            Grade.objects.create(
                version=version,
                submission=submission,
                state=Grade.State.RELEASED if released else Grade.State.DRAFT,
                released_at=HANDED_IN if released else None,
                points=points,
                percent=percent,
                released_points=points if released else None,
                released_percent=percent if released else None,
            )
        for kind, score in (("rk1", 40 + number * 7 % 60), ("rk2", 35 + number * 11 % 65), ("exam", number * 3 % 100)):
            if kind != "exam" or number % 4:
                ControlScore.objects.create(
                    course=cast.course, student=student, kind=kind, score=score, entered_by=cast.instructor
                )
    cast.course.mark_results_changed()


def change_a_score(cast, score):
    """A change through the score entry's service: the course's results change."""
    control_scores_save(course=cast.course, by=cast.instructor, scores={(cast.student.pk, "rk1"): score})


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def paged(cast, sort, per_page=7, **options):
    """Every page of the book in ``sort``, as (students, figures, statistics of the first page)."""
    options = {"include_drafts": True, "now": NOW, **options}
    first = build_gradebook(cast.course, sort=sort, per_page=per_page, **options)
    pages = [first] + [
        build_gradebook(cast.course, sort=sort, page=number, per_page=per_page, **options)
        for number in range(2, first.page_count + 1)
    ]
    rows = [row for page in pages for row in page.rows]
    return [row.student.username for row in rows], [figures(row) for row in rows], first.stats


def whole(cast, sort, **options):
    """The same, from a full build of the class (``sort_rows`` and ``sheet_statistics`` on every row)."""
    book = build_gradebook(cast.course, sort=sort, **{"include_drafts": True, "now": NOW, **options})
    return [row.student.username for row in book.rows], [figures(row) for row in book.rows], book.stats


def hundredths(value):
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def stats_of_rows(tasks, rows):
    """Each task's statistics worked out from the full rows' cells, the plain way: what the gradebook's own must be."""
    expected = []
    for index, task in enumerate(tasks):
        cells = [row.cells[index] for row in rows]
        values = [cell.points if task.max_points is not None else cell.percent for cell in cells]
        graded = [
            (value, cell.percent)
            for value, cell in zip(values, cells, strict=True)
            if value is not None and not cell.draft
        ]
        bins = [0] * 10
        for _value, percent in graded:
            bins[min(int((percent or 0) // 10), 9)] += 1
        figures = [value for value, _percent in graded]
        expected.append(
            {
                "submitted": sum(cell.submitted for cell in cells),
                "graded": len(graded),
                "mean": hundredths(sum(figures) / len(figures)) if figures else None,
                "median": hundredths(statistics.median(figures)) if figures else None,
                "minimum": min(figures, default=None),
                "maximum": max(figures, default=None),
                "bins": bins,
            }
        )
    return expected


def figures(row):
    letter = row.letter.letter if row.letter else None
    return (row.total, row.percent, row.rd, row.final, letter, [(cell.value, cell.missing) for cell in row.cells])


def order(cast, sort, **options):
    return paged(cast, sort, per_page=100, **options)[0]


def truth(cast, sort, **options):
    return whole(cast, sort, **options)[0]


# Queries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_costs_the_same_queries_at_12_and_36_students_cold_and_warm(login, cast, national, sort):
    client = login(cast.instructor)
    url = f"{reverse('grading:gradebook', args=[cast.course.pk])}?sort={sort_of(cast, sort)}"
    counts = []
    for first, size in ((0, 12), (12, 24)):
        enrol_class(cast, size, first)
        change_a_score(cast, 50 + first)
        cold = queries_of(client, url)
        counts.append({"cold": cold, "warm": queries_of(client, url)})
    expected = NAME_QUERIES if sort.lstrip("-") in {"name", "group"} else COMPUTED_QUERIES
    assert counts == [expected, expected]


# The cached order and statistics ----------------------------------------------------------------


@pytest.mark.parametrize("group", [None, "СЖ-23-02"])
@pytest.mark.parametrize("sort", SORTS)
def test_pages_served_from_the_cache_are_those_of_a_full_build(cast, national, sort, group):
    enrol_class(cast, 30)
    sort = sort_of(cast, sort)
    expected = whole(cast, sort, group=group)
    assert paged(cast, sort, group=group) == expected  # the first page builds and caches, the others read
    assert paged(cast, sort, group=group) == expected  # every page read from the cache


@pytest.mark.parametrize("size", [11, 12])
@pytest.mark.parametrize("group", [None, "СЖ-23-01"])
def test_the_databases_statistics_are_those_of_the_rows(cast, national, size, group):
    """Odd and even counts, ties, drafts (never counted) and tasks without maximum points (percentages)."""
    enrol_class(cast, size)
    book = build_gradebook(cast.course, include_drafts=True, sort="total", group=group, now=NOW)
    from_rows = [vars(item) for item in book.stats]
    assert from_rows == stats_of_rows(book.tasks, book.rows)
    from_database = paged(cast, "name", group=group)[2]
    assert [vars(item) for item in from_database] == from_rows
    graded = {item["graded"] % 2 for item in from_rows}
    assert graded == {0, 1}  # some medians of one middle figure, some of two
    assert any(item["median"] is not None for item in from_rows)


@pytest.mark.parametrize("include_drafts", [True, False])
@pytest.mark.parametrize("credit_formula", [True, False])
@pytest.mark.parametrize("now", [NOW, at(dt.date(2025, 10, 20))])  # after every due moment; before СӨЖ 3's, 4's
def test_the_figures_a_whole_class_is_ordered_by_are_those_of_its_rows(
    cast, national, include_drafts, credit_formula, now
):
    """``_standings`` (each student's total, percentage, РД, final and cells' figures, without building rows) against
    the full rows' ``roll_up`` and ``Cell.show``, on a class with drafts, work not graded yet, missing work,
    extensions, a task without maximum points, students without control scores or with some, and tasks not due yet;
    the class's statistics from the same sheet against the rows' own."""
    enrol_class(cast, 27)
    students = list(Enrollment.objects.filter(course=cast.course).order_by("pk").values_list("student", flat=True))
    ControlScore.objects.filter(student__in=students[:3]).delete()
    ControlScore.objects.filter(student__in=students[3:6], kind="rk2").delete()
    assessment, _created = CourseAssessment.objects.get_or_create(course=cast.course)
    assessment.uses_credit_formula = credit_formula
    assessment.save()
    task = cast.tasks["СӨЖ 4"]
    missing = Enrollment.objects.filter(course=cast.course).exclude(student__submissions__task=task)
    handed_in = Enrollment.objects.filter(course=cast.course, student__submissions__task=task)
    for enrollment in (missing.first(), handed_in.first()):
        extension_grant(
            task=task, student=enrollment.student, due_at=now + dt.timedelta(days=7), granted_by=cast.instructor
        )
    book = build_gradebook(cast.course, include_drafts=include_drafts, now=now)
    roster = list(
        Enrollment.objects.filter(course=cast.course)
        .order_by(*ROSTER_ORDER)
        .values_list("pk", "student_id", "academic_group", "student__last_name")
    )
    sheet = _sheet(cast.course, [entry[1] for entry in roster], include_drafts)
    expected = {
        row.enrollment.pk: (row.total, row.percent, row.rd, row.final, *[cell.value for cell in row.cells])
        for row in book.rows
    }
    assert _standings(book, roster, sheet, now) == expected
    assert [vars(item) for item in sheet_statistics(book.tasks, sheet)] == stats_of_rows(book.tasks, book.rows)
    # The class has what the comparison is about.
    cells = [cell for row in book.rows for cell in row.cells]
    assert any(cell.draft for cell in cells) == include_drafts
    assert any(cell.missing for cell in cells) and any(cell.waiting for cell in cells)
    assert any(cell.in_percent for cell in cells)
    if credit_formula:
        assert {row.rd is None for row in book.rows} == {True, False}
        assert {row.final is None for row in book.rows} == {True, False}


# Never a stale order ----------------------------------------------------------------------------


@pytest.fixture
def graded_class(cast, national):
    enrol_class(cast, 14)
    return cast


def moves(cast, sort, change, **options):
    """The order before and after ``change``, after checking the new one is that of a full build."""
    before = order(cast, sort, **options)
    change()
    after = order(cast, sort, **options)
    assert after == truth(cast, sort, **options)
    return before, after


def test_a_grade_changed_and_released_moves_its_student(graded_class):
    cast = graded_class
    grade = Grade.objects.filter(submission__task=cast.tasks["СӨЖ 1"], state=Grade.State.RELEASED).first()
    student = grade.submission.student.username

    def regrade():
        saved = grade_save(
            version=grade.version, grader=cast.instructor, expected_lock_version=grade.lock_version, points=22
        )
        grade_release(grade=saved, by=cast.instructor, notify=False)

    before, after = moves(cast, "-total", regrade)
    assert after.index(student) < before.index(student)


def test_a_control_score_moves_its_student(graded_class):
    cast = graded_class
    last = order(cast, "-final")[-1]
    student = Enrollment.objects.get(course=cast.course, student__username=last).student
    scores = {(student.pk, kind): 100 for kind in ("rk1", "rk2", "exam")}
    before, after = moves(
        cast, "-final", lambda: control_scores_save(course=cast.course, by=cast.instructor, scores=scores)
    )
    assert after.index(last) < before.index(last)


def test_an_extension_takes_a_missing_task_out_of_the_rating(graded_class):
    cast = graded_class
    task = cast.tasks["СӨЖ 4"]
    missing = Enrollment.objects.filter(course=cast.course).exclude(student__submissions__task=task).first().student

    def extend():
        extension_grant(task=task, student=missing, due_at=NOW + dt.timedelta(days=7), granted_by=cast.instructor)

    before, after = moves(cast, "-rd", extend)
    assert after.index(missing.username) < before.index(missing.username)


def test_a_due_moment_passing_counts_the_missing_work(graded_class):
    """Nothing is written: only the time moves past СӨЖ 4's due moment (Sunday of week 10)."""
    cast = graded_class
    sort = "-rd"
    before = order(cast, sort, now=at(dt.date(2025, 11, 9)))
    after = order(cast, sort, now=at(dt.date(2025, 11, 10)))
    assert after == truth(cast, sort, now=at(dt.date(2025, 11, 10)))
    assert after != before


def test_a_hidden_task_leaves_the_order(graded_class):
    cast = graded_class
    before, after = moves(cast, "total", lambda: task_hide(task=cast.tasks["СӨЖ 1"], by=cast.instructor))
    assert after != before


def test_a_new_student_and_a_change_of_group_reach_the_order(graded_class):
    cast = graded_class
    newcomer = make_user("newcomer", "student", cast.department, last_name="Жаңа")

    def enrol():
        Enrollment.objects.create(course=cast.course, student=newcomer, academic_group=GROUPS[1])

    before, after = moves(cast, "total", enrol, group=GROUPS[1])
    assert "newcomer" in after and "newcomer" not in before
    leaver = after[-1]
    before, after = moves(
        cast,
        "total",
        lambda: Enrollment.objects.filter(student__username=leaver).update(academic_group=GROUPS[0]),
        group=GROUPS[1],
    )
    assert leaver in before and leaver not in after


def test_a_renamed_student_keeps_ties_in_the_order_of_the_names_of_now(graded_class):
    cast = graded_class
    ranked = order(cast, "total")
    values = dict(zip(ranked, [row[0] for row in paged(cast, "total", per_page=100)[1]], strict=True))
    first, second = next((a, b) for a, b in pairwise(ranked) if values[a] == values[b])
    # "Ү" sorts after every surname of the class; a name changes no result, so nothing marks the results changed.
    before, after = moves(cast, "total", lambda: User.objects.filter(username=first).update(last_name="Үстемов"))
    assert before.index(first) < before.index(second) and after.index(first) > after.index(second)


def test_staff_and_students_orders_differ_by_the_drafts(graded_class):
    cast = graded_class
    sort = sort_of(cast, "-task")
    with_drafts = order(cast, sort, include_drafts=True)
    without = order(cast, sort, include_drafts=False)
    assert with_drafts == truth(cast, sort, include_drafts=True)
    assert without == truth(cast, sort, include_drafts=False)
    assert with_drafts != without


def test_a_new_grading_formula_reorders_the_ratings(graded_class):
    cast = graded_class

    def reweigh():
        assessment, _created = CourseAssessment.objects.get_or_create(course=cast.course)
        assessment.current_weight = Decimal("0.9")
        assessment.save()

    before, after = moves(cast, "rd", reweigh)
    assert after != before


def test_the_admin_site_cannot_delete_a_submission_from_under_the_cached_order(graded_class, client):
    # Its versions are read-only there (nothing handed in is ever lost), so a submission with versions, which
    # the order is made of, cannot be deleted around the services that mark the results changed.
    cast = graded_class
    first = order(cast, "-total")[0]
    submission = Submission.objects.filter(student__username=first, task__course=cast.course).first()
    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    response = client.post(reverse("admin:portfolio_submission_delete", args=[submission.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Submission.objects.filter(pk=submission.pk).exists()
