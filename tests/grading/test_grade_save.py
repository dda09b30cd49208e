"""Saving, releasing and regrading grades; history and concurrency."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection

from grading.models import Grade, GradeChange
from grading.selectors.queue import queue_rows
from grading.services.grades import StaleGrade, grade_release, grade_save, grades_release_for_task
from tests.grading.conftest import GOOD_PICKS, HANDED_IN, hand_in, scores_for

pytestmark = pytest.mark.django_db


def save(version, rubric, grader, lock=0, picks=GOOD_PICKS, **extra):
    return grade_save(
        version=version, grader=grader, expected_lock_version=lock, scores=scores_for(rubric, picks), **extra
    )


def test_a_saved_grade_is_a_draft_with_the_scaled_points(cast, rubric, version):
    grade = save(version, rubric, cast.instructor, feedback="Жақсы жұмыс.")
    assert grade.state == Grade.State.DRAFT
    assert grade.rubric_sum == Decimal(95)
    assert grade.rubric_maximum == Decimal(125)
    assert grade.percent == Decimal("76.00")
    assert grade.points == Decimal("15.2")
    assert grade.scores.count() == 5


def test_full_marks_reach_the_tasks_maximum_not_125_percent(cast, rubric, version):
    grade = save(version, rubric, cast.instructor, picks=[("Өте жақсы", "25", "")] * 5)
    assert (grade.points, grade.percent) == (Decimal("20.0"), Decimal("100.00"))


def test_a_score_on_an_edge_with_the_lower_level_is_refused_with_the_rule(cast, rubric, version):
    picks = [("Жақсы", "20", ""), *GOOD_PICKS[1:]]
    with pytest.raises(ValidationError) as error:
        save(version, rubric, cast.instructor, picks=picks)
    assert "Өте жақсы" in " ".join(error.value.messages)
    assert not Grade.objects.exists()


def test_points_outside_the_chosen_level_are_refused(cast, rubric, version):
    picks = [("Қанағаттанарлық", "18", ""), *GOOD_PICKS[1:]]
    with pytest.raises(ValidationError):
        save(version, rubric, cast.instructor, picks=picks)
    assert not Grade.objects.exists()


def test_low_originality_needs_confirmation_and_then_gives_zero(cast, rubric, version):
    with pytest.raises(ValidationError) as error:
        save(version, rubric, cast.instructor, originality_percent=Decimal(35), originality_checker="Антиплагиат")
    assert error.value.code == "confirm_zero"
    grade = save(
        version,
        rubric,
        cast.instructor,
        originality_percent=Decimal(35),
        originality_checker="Антиплагиат",
        zero_confirmed=True,
    )
    assert (grade.points, grade.percent) == (Decimal(0), Decimal(0))
    assert grade.originality_zero_confirmed


def test_without_a_rubric_points_are_entered_directly_within_the_maximum(cast, essay, version):
    essay.rubric = None
    essay.save()
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, points=Decimal(17))
    assert (grade.points, grade.percent) == (Decimal(17), Decimal("85.00"))
    with pytest.raises(ValidationError):
        grade_save(version=version, grader=cast.instructor, expected_lock_version=1, points=Decimal(21))


def test_every_save_is_in_the_history_with_before_and_after(cast, rubric, version):
    grade = save(version, rubric, cast.instructor)
    picks = [("Өте жақсы", "25", "")] * 5
    save(version, rubric, cast.instructor, lock=grade.lock_version, picks=picks)
    changes = list(GradeChange.objects.order_by("pk"))
    assert [change.action for change in changes] == ["saved", "saved"]
    assert changes[0].before is None
    assert changes[0].after["points"] == "15.2"
    assert changes[1].before["points"] == "15.2" and changes[1].after["points"] == "20.0"
    assert changes[1].before["criteria"][1]["level"] == "Жақсы"
    assert changes[1].after["criteria"][1]["level"] == "Өте жақсы"
    assert all(change.changed_by == cast.instructor for change in changes)


def test_a_stale_save_is_refused_and_the_first_graders_work_is_kept(cast, rubric, version):
    second_instructor = cast.instructor.__class__.objects.create(username="co_teacher", role="instructor")
    cast.course.instructors.add(second_instructor)
    first = save(version, rubric, cast.instructor)  # both opened the page at lock 0; the first saves
    with pytest.raises(StaleGrade) as error:
        save(version, rubric, second_instructor, lock=0, picks=[("Өте жақсы", "25", "")] * 5)
    assert error.value.current["points"] == "15.2"  # what the second grader is shown
    first.refresh_from_db()
    assert first.points == Decimal("15.2")
    assert first.graded_by == cast.instructor
    assert GradeChange.objects.count() == 1


def test_a_later_stale_update_is_refused_too(cast, rubric, version):
    grade = save(version, rubric, cast.instructor)
    save(version, rubric, cast.instructor, lock=grade.lock_version)
    with pytest.raises(StaleGrade):
        save(version, rubric, cast.instructor, lock=grade.lock_version)


def test_a_grade_and_its_history_are_written_together_or_not_at_all(cast, rubric, version):
    def refuse_history(execute, sql, params, many, context):
        if "INSERT INTO" in sql and "grading_gradechange" in sql:
            raise DatabaseError("refused")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse_history), pytest.raises(DatabaseError):
        save(version, rubric, cast.instructor)
    assert not Grade.objects.exists()


def test_releasing_shows_the_grade_and_notifies_the_student(cast, rubric, version, django_capture_on_commit_callbacks):
    cast.student.email = "asel@example.kz"
    cast.student.save()
    grade = save(version, rubric, cast.instructor)
    with django_capture_on_commit_callbacks(execute=True):
        grade_release(grade=grade, by=cast.instructor)
    grade.refresh_from_db()
    assert grade.is_released and grade.released_at is not None
    assert [change.action for change in grade.changes.order_by("pk")] == ["saved", "released"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["asel@example.kz"]
    assert "СОӨЖ 1" in mail.outbox[0].subject


def test_release_all_releases_only_the_tasks_latest_draft_grades(cast, rubric, essay, version):
    save(version, rubric, cast.instructor)
    other = hand_in(essay, cast.classmate)
    save(other, rubric, cast.instructor)
    assert grades_release_for_task(task=essay, by=cast.instructor) == 2
    assert grades_release_for_task(task=essay, by=cast.instructor) == 0


def test_a_resubmission_after_grading_needs_regrading_and_keeps_the_earlier_grade(cast, rubric, essay, version):
    first = save(version, rubric, cast.instructor)
    grade_release(grade=first, by=cast.instructor)
    hand_in(essay, cast.student, moment=HANDED_IN + dt.timedelta(hours=2), name="v2.docx")
    row = next(row for row in queue_rows(task=essay) if row.student_id == cast.student.pk)
    assert row.latest_grade_id is None and row.has_earlier_grade
    first.refresh_from_db()
    assert first.is_released and first.points == Decimal("15.2")
