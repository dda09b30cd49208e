"""Two instructors saving the same student's РК1 at the same moment: one save writes, the other is told the row was
changed (never a lost value, never an error). Real row locks: PostgreSQL only."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from accounts.models import Role
from coursework.models import Enrollment
from grading.models import ControlKind, ControlScore
from grading.services.gradebook import control_scores_save
from tests.conftest import make_user

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]

ROUNDS = 10


def together(*actions):
    """Run the actions at once, each in a thread of its own with its own connection; their results or errors."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except Exception as error:  # any error fails the test, with the error shown
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_saves_of_the_same_row_at_once_write_one_and_report_the_other_as_a_conflict(cast):
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department)
    cast.course.instructors.add(colleague)
    for number in range(ROUNDS):
        student = make_user(f"race{number}", Role.STUDENT, cast.department)
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-01")
        shown = {student.pk: dict.fromkeys(ControlKind.values)}

        def save(by, value, student=student, shown=shown):
            return control_scores_save(
                course=cast.course, by=by, scores={(student.pk, ControlKind.RK1): Decimal(value)}, opened=shown
            )

        outcomes = together(lambda: save(cast.instructor, 70), lambda: save(colleague, 85))

        assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
        assert sorted(outcome.count for outcome in outcomes) == [0, 1]
        kept = ControlScore.objects.get(student=student).score
        refused = next(outcome for outcome in outcomes if outcome.conflicts)
        assert refused.conflicts[student.pk].theirs[ControlKind.RK1] == kept
