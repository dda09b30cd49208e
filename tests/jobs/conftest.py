import pytest

from tests.grading.conftest import GOOD_PICKS, essay, grade_of, hand_in, rubric, scores_for  # noqa: F401 — fixtures


@pytest.fixture
def graded_both(cast, essay):  # noqa: F811 — the fixture imported above
    """The student's and the classmate's essays graded; neither released."""
    for student in (cast.student, cast.classmate):
        grade_of(hand_in(essay, student), grader=cast.instructor, scores=scores_for(essay.rubric, GOOD_PICKS))
    return cast
