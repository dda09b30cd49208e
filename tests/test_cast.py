"""The named cast (tests/conftest.py): built once per module, yet every test starts from the same cast."""

import pytest

from accounts.models import User
from coursework.models import Course

pytestmark = pytest.mark.django_db

SEEN = {}


@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_from_the_cast_whatever_the_test_before_it_changed(cast, _module_cast, run):
    # The same module-wide cast both times: built once, not per test.
    assert SEEN.setdefault("module_cast", id(_module_cast)) == id(_module_cast)
    # This test's objects are its own copies, as the cast built them.
    assert cast.course is not _module_cast.course
    assert cast.course.title_en != "Changed by a test" and cast.student.first_name == "Әсел"
    assert Course.objects.get(pk=cast.course.pk).title_en == _module_cast.course.title_en
    assert not User.objects.filter(username="visitor").exists()
    original_points = _module_cast.tasks["СОӨЖ 1"].max_points
    assert cast.tasks["СОӨЖ 1"].max_points == original_points != 99
    assert cast.course.tasks.get(label="СОӨЖ 1").max_points == original_points

    # Changes to the rows and to the objects, which the other run must not see.
    cast.course.title_en = "Changed by a test"
    cast.course.save()
    cast.student.first_name = "Өзгерген"
    task = cast.tasks["СОӨЖ 1"]
    task.max_points = 99
    task.save()
    User.objects.create(username="visitor")
    assert Course.objects.get(pk=cast.course.pk).title_en == "Changed by a test"


def test_the_cast_has_every_named_member(cast):
    members = ["instructor", "student", "classmate", "dept_admin", "other_instructor", "other_student"]
    assert [getattr(cast, name).username for name in [*members, "other_dept_admin"]] == [*members, "other_dept_admin"]
    assert cast.course.department == cast.department and cast.other_course.department == cast.other_department
    assert list(cast.tasks) == ["СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3", "СӨЖ 4", "СОӨЖ 4-5", "СӨЖ 3"]
    assert cast.other_task.course == cast.other_course
    assert set(cast.course.enrollments.values_list("student__username", flat=True)) == {"student", "classmate"}
