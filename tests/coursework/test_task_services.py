"""The task editor's workflows: coursework/services/tasks.py (add, edit, reorder, hide and show, delete) and
grading/services/tasks.py (a graded task's maximum points, its rubric)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coursework.models import Booking, Extension, Slot, SlotKind, Task, TaskChange
from coursework.services.tasks import task_create, task_delete, task_hide, task_move, task_show, task_update
from grading.models import Grade, GradeChange
from grading.selectors.tasks import points_change
from grading.services.gradebook import gradebook_lock
from grading.services.grades import grade_save
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from grading.services.tasks import PointsChangeUnconfirmed, task_edit
from tests.grading.conftest import give, hand_in_work

pytestmark = pytest.mark.django_db

NEW_TASK = {
    "label": "СӨЖ 5",
    "kind": "sozh",
    "deliverable": "presentation",
    "title": "Кейс таныстырылымы",
    "description": "Кейсті топқа таныстыру.",
    "due_week": 14,
    "max_points": Decimal(18),
}


def labels(course):
    tasks = Task.objects.filter(course=course).order_by("position", "due_week", "pk")
    return list(tasks.values_list("label", flat=True))


def reload(task):
    return Task.objects.get(pk=task.pk)


@pytest.fixture
def scale(db):
    letter_scale_ensure()


# Adding and editing -------------------------------------------------------------------------------


def test_a_new_task_goes_to_the_end_of_the_table(cast):
    task = task_create(course=cast.course, **NEW_TASK)
    assert labels(cast.course)[-1] == "СӨЖ 5"
    assert task.position == max(t.position for t in cast.tasks.values()) + 1
    assert task.max_points == Decimal(18)


def test_a_label_is_unique_within_its_course_only(cast):
    with pytest.raises(ValidationError) as refused:
        task_create(course=cast.course, **{**NEW_TASK, "label": "СӨЖ 1"})
    assert "label" in refused.value.message_dict
    assert task_create(course=cast.other_course, **{**NEW_TASK, "label": "СӨЖ 2"}).pk


def test_a_cut_off_before_the_due_moment_writes_nothing(cast):
    early = timezone.make_aware(dt.datetime(2025, 12, 1, 12, 0))  # week 14 ends on 7 December
    with pytest.raises(ValidationError) as refused:
        task_create(course=cast.course, **{**NEW_TASK, "cutoff_at": early})
    assert "cutoff_at" in refused.value.message_dict
    assert not Task.objects.filter(course=cast.course, label="СӨЖ 5").exists()


def test_an_edit_changes_only_what_it_is_given(cast):
    task = cast.tasks["СӨЖ 4"]
    task_update(task=task, due_week=11, rating_period=1)
    saved = reload(task)
    assert (saved.due_week, saved.rating_period, saved.max_points) == (11, 1, Decimal(22))
    assert saved.in_first_period(7)


def test_an_edit_may_not_take_another_tasks_label(cast):
    with pytest.raises(ValidationError):
        task_update(task=cast.tasks["СӨЖ 4"], label="СӨЖ 3")
    assert reload(cast.tasks["СӨЖ 4"]).label == "СӨЖ 4"


def test_the_service_refuses_a_field_the_editor_does_not_set(cast):
    with pytest.raises(TypeError):
        task_update(task=cast.tasks["СӨЖ 4"], course=cast.other_course)


# Order ----------------------------------------------------------------------------------------------


def test_moving_a_task_up_and_down_renumbers_the_table(cast):
    task_move(task=cast.tasks["СӨЖ 1"], offset=-1)
    assert labels(cast.course)[:2] == ["СӨЖ 1", "СОӨЖ 1"]
    task_move(task=cast.tasks["СӨЖ 1"], offset=1)
    assert labels(cast.course)[:2] == ["СОӨЖ 1", "СӨЖ 1"]
    positions = list(Task.objects.filter(course=cast.course).order_by("position").values_list("position", flat=True))
    assert positions == [1, 2, 3, 4, 5, 6]


def test_moving_past_either_end_keeps_the_task_there(cast):
    before = labels(cast.course)
    task_move(task=cast.tasks["СОӨЖ 1"], offset=-1)
    task_move(task=cast.tasks["СӨЖ 3"], offset=1)
    assert labels(cast.course) == before


def test_equal_positions_are_put_in_order_when_a_task_moves(cast):
    Task.objects.filter(course=cast.course).update(position=0)  # as tasks made outside the editor may be
    task_move(task=cast.tasks["СӨЖ 3"], offset=-1)
    assert labels(cast.course) == ["СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3", "СӨЖ 4", "СӨЖ 3", "СОӨЖ 4-5"]


# Hiding and deleting ----------------------------------------------------------------------------------


def test_hiding_and_showing_are_recorded_once_each(cast):
    task = cast.tasks["СОӨЖ 4-5"]
    task_hide(task=task, by=cast.instructor)
    task_hide(task=task, by=cast.instructor)
    assert reload(task).is_hidden
    assert not Task.objects.shown().filter(pk=task.pk).exists()
    task_show(task=task, by=cast.instructor)
    assert not reload(task).is_hidden
    kinds = list(TaskChange.objects.filter(task=task).order_by("pk").values_list("kind", "changed_by"))
    assert kinds == [("hidden", cast.instructor.pk), ("shown", cast.instructor.pk)]


def test_a_task_nobody_worked_on_is_deleted(cast):
    task_delete(task=cast.tasks["СОӨЖ 4-5"])
    assert "СОӨЖ 4-5" not in labels(cast.course)


def test_a_task_with_hand_ins_cannot_be_deleted_only_hidden(cast):
    task = cast.tasks["СӨЖ 4"]
    hand_in_work(task, cast.student)
    with pytest.raises(ValidationError) as refused:
        task_delete(task=task)
    assert refused.value.code == "in_use"
    assert "СӨЖ 4" in refused.value.messages[0]
    assert Task.objects.filter(pk=task.pk).exists()


def test_a_task_with_a_booked_seat_cannot_be_deleted(cast):
    task = cast.tasks["СОӨЖ 2-3"]
    starts = timezone.now() + dt.timedelta(days=3)
    slot = Slot.objects.create(
        task=task,
        kind=SlotKind.CONSULTATION,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        place="301",
        booking_closes_at=starts - dt.timedelta(hours=2),
    )
    Booking.objects.create(slot=slot, student=cast.student)
    with pytest.raises(ValidationError):
        task_delete(task=task)
    assert Slot.objects.filter(pk=slot.pk).exists()


# A graded task's maximum points ------------------------------------------------------------------------


def test_changing_points_of_an_ungraded_task_needs_no_confirmation(cast):
    task = task_edit(task=cast.tasks["СӨЖ 4"], by=cast.instructor, changes={"max_points": Decimal(20)})
    assert reload(task).max_points == Decimal(20)
    change = TaskChange.objects.get(task=task)
    assert (change.kind, change.old_value, change.new_value, change.affected_grades) == ("max_points", "22.0", "20", 0)


def test_changing_points_of_a_graded_task_asks_first_and_writes_nothing(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    give(cast, "СӨЖ 4", cast.classmate, Decimal(11), release=False)
    with pytest.raises(PointsChangeUnconfirmed) as asked:
        task_edit(task=task, by=cast.instructor, changes={"max_points": Decimal(18), "due_week": 11})
    change = asked.value.change
    assert (change.grades, change.released, change.old_max, change.new_max) == (2, 1, Decimal(22), Decimal(18))
    assert (change.example_points, change.example_percent, change.example_new_points) == (
        Decimal(20),
        Decimal("90.91"),
        Decimal("16.4"),
    )
    assert (reload(task).max_points, reload(task).due_week) == (Decimal(22), 10)
    assert not TaskChange.objects.filter(task=task).exists()


def test_a_confirmed_change_rescales_every_grade_from_its_percentage(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    released = give(cast, "СӨЖ 4", cast.student, Decimal(20))
    draft = give(cast, "СӨЖ 4", cast.classmate, Decimal(11), release=False)
    task_edit(task=task, by=cast.instructor, changes={"max_points": Decimal(18)}, confirmed_grades=2)
    released, draft = Grade.objects.get(pk=released.pk), Grade.objects.get(pk=draft.pk)
    assert (released.points, released.percent) == (Decimal("16.4"), Decimal("90.91"))
    assert (released.released_points, released.released_percent) == (Decimal("16.4"), Decimal("90.91"))
    assert released.released_values["points"] == "16.4"
    assert not released.has_unreleased_changes
    assert (draft.points, draft.percent, draft.released_points) == (Decimal("9.0"), Decimal("50.00"), None)
    change = TaskChange.objects.get(task=task)
    assert (change.kind, change.old_value, change.new_value, change.affected_grades) == ("max_points", "22.0", "18", 2)
    assert change.changed_by == cast.instructor
    history = GradeChange.objects.filter(grade=released).order_by("-pk").first()
    assert (history.before["points"], history.after["points"]) == ("20.0", "16.4")


def test_a_confirmation_for_fewer_grades_than_there_are_now_confirms_nothing(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    give(cast, "СӨЖ 4", cast.classmate, Decimal(11))
    with pytest.raises(PointsChangeUnconfirmed):
        task_edit(task=task, by=cast.instructor, changes={"max_points": Decimal(18)}, confirmed_grades=1)
    assert reload(task).max_points == Decimal(22)


def test_points_removed_leave_each_grade_its_percentage(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    grade = give(cast, "СӨЖ 4", cast.student, Decimal(20))
    assert points_change(task, None).kind == "to_percentage"
    task_edit(task=task, by=cast.instructor, changes={"max_points": None}, confirmed_grades=1)
    grade = Grade.objects.get(pk=grade.pk)
    assert (grade.points, grade.percent, grade.released_points, grade.released_percent) == (
        None,
        Decimal("90.91"),
        None,
        Decimal("90.91"),
    )
    assert TaskChange.objects.get(task=task).new_value == ""


def test_points_given_to_a_percentage_task_come_from_each_percentage(cast, scale):
    task = cast.tasks["СОӨЖ 1"]
    version = hand_in_work(task, cast.student)
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, percent=Decimal(80))
    assert points_change(task, Decimal(10)).kind == "to_points"
    task_edit(task=task, by=cast.instructor, changes={"max_points": Decimal(10)}, confirmed_grades=1)
    assert Grade.objects.get(pk=grade.pk).points == Decimal("8.0")


def test_a_locked_gradebook_refuses_a_points_change(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        task_edit(task=task, by=cast.instructor, changes={"max_points": Decimal(18)}, confirmed_grades=1)
    assert refused.value.code == "locked"
    assert reload(task).max_points == Decimal(22)
    assert Grade.objects.get(submission__task=task).points == Decimal(20)


def test_a_locked_gradebook_still_lets_other_terms_change(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    task_edit(task=task, by=cast.instructor, changes={"title_en": "Models and SWOT"})
    assert reload(task).title_en == "Models and SWOT"


def test_a_change_of_rubric_is_recorded_with_the_grades_that_keep_the_old_one(cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    rubric = essay_rubric_ensure()
    task_edit(task=task, by=cast.instructor, changes={"rubric": rubric})
    change = TaskChange.objects.get(task=task)
    assert (change.kind, change.old_value, change.new_value, change.affected_grades) == (
        "rubric",
        "",
        str(rubric.pk),
        1,
    )


def test_a_task_with_an_extension_granted_cannot_be_deleted(cast):
    task = cast.tasks["СОӨЖ 4-5"]
    Extension.objects.create(task=task, student=cast.student, due_at=timezone.now() + dt.timedelta(days=7))
    with pytest.raises(ValidationError) as refused:
        task_delete(task=task)
    assert refused.value.code == "in_use"
    assert Task.objects.filter(pk=task.pk).exists() and task.extensions.count() == 1
