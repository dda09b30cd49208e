"""1,000 saves of one grade from concurrent clients, through a real gunicorn (two workers, several threads each) on
PostgreSQL. Each grader's browser opens the grading page, changes the grade and saves; a save that someone else's
overtook is shown the conflict, and the grader saves again from that page, over the values now current.

Every save must land or be refused as a conflict — never a server error, never a lost update — and the grade's
history must account for every save that landed, in order, each one made over the one before."""

import itertools
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from grading.models import Grade, GradeChange
from grading.services.grades import grade_snapshot
from tests.conftest import PASSWORD, make_user
from tests.multi.conftest import grade_form, handed_in, lock_version_shown, open_task, usable_on_servers
from tests.servers import Client, gunicorn_start, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent saves are locked only on PostgreSQL"),
]

SAVES = 1000
CLIENTS = 20
GRADERS = 4  # each signed in once; their browsers have several tabs (clients) each
STALE = "Someone else saved this grade while you were working. Your changes were not saved."


@pytest.fixture
def server(deployment):
    process = gunicorn_start(deployment["env"], deployment["folder"], workers=2, threads=4)
    yield process
    stop(process)


def test_a_thousand_concurrent_saves_each_land_or_are_refused_and_the_history_holds_every_one_that_landed(server, cast):
    task = open_task(cast)
    submission = handed_in(task, cast.student).submission
    graders = [cast.instructor] + [
        make_user(f"grader{number}", "instructor", cast.department, last_name=f"Бағалаушы {number}")
        for number in range(1, GRADERS)
    ]
    cast.course.instructors.add(*graders)
    usable_on_servers(*graders)
    sessions = _signed_in(server.port, [grader.username for grader in graders])
    page = f"/submissions/{submission.pk}/grade/"
    # Built here: the clients' threads do not touch the database (the servers do).
    form = grade_form(task, first_points="20", feedback="", lock_version=0)
    first = task.rubric.criteria.order_by("position").first()
    slots = itertools.count()
    outcomes = {"landed": [], "conflict": [], "other": []}
    record = threading.Lock()

    def grader_tab(number):
        try:
            saving(number)
        except Exception as error:  # a thread's failure must fail the test, not just end the thread
            with record:
                outcomes["other"].append((f"tab {number}", None, repr(error)))

    def saving(number):
        tab = Client(server.port, cookies=dict(sessions[number % GRADERS]))
        shown = lock_version_shown(tab.get(page).text)
        while (slot := next(slots)) < SAVES:
            tag = f"tab {number}, save {slot}"
            points = str(Decimal(20) + Decimal(slot % 19 + 1) / 4)  # inside the level: 20.25 … 24.75
            response = tab.post(page, {**form, f"c{first.pk}-points": points, "feedback": tag, "lock_version": shown})
            if response.status == 302 and response.location == page:
                outcome = "landed"
                response = tab.get(page)  # the browser follows the redirect
            elif response.status == 200 and STALE in response.text:
                outcome = "conflict"  # the page shows the current values; the grader saves again from it
            else:
                outcome = "other"
            with record:
                outcomes[outcome].append((tag, shown, response.status))
            if outcome == "other":
                return
            shown = lock_version_shown(response.text)

    started = time.monotonic()
    tabs = [threading.Thread(target=grader_tab, args=(number,)) for number in range(CLIENTS)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()
    elapsed = time.monotonic() - started
    landed, conflicts = outcomes["landed"], outcomes["conflict"]
    print(
        f"\n{SAVES} saves from {CLIENTS} clients in {elapsed:.1f} s: "
        f"{len(landed)} landed, {len(conflicts)} refused as conflicts, {len(outcomes['other'])} other"
    )

    assert outcomes["other"] == []
    assert len(landed) + len(conflicts) == SAVES
    assert landed and conflicts, "the clients never overtook one another: the test proved nothing"
    grade = Grade.objects.get(submission=submission)
    history = list(GradeChange.objects.filter(grade=grade).order_by("pk"))
    assert {change.action for change in history} == {GradeChange.Action.SAVED}
    # Every landed save is in the history once, and no refused one.
    assert sorted(change.after["feedback"] for change in history) == sorted(tag for tag, _shown, _status in landed)
    # Each landed over the one before it: the first created the grade, each next one was made over its values.
    assert history[0].before is None
    assert all(later.before == earlier.after for earlier, later in itertools.pairwise(history))
    # Each save that landed had been shown the version before it: versions 0, 1, 2 … each once.
    assert sorted(shown for _tag, shown, _status in landed) == list(range(len(landed)))
    assert grade.lock_version == len(landed)
    # What is stored is the last landed save, criterion scores included.
    assert grade_snapshot(grade) == history[-1].after
    assert grade.scores.count() == task.rubric.criteria.count()


def _signed_in(port, usernames):
    """Each grader signed in through the sign-in form, all at once; their cookies."""
    sessions = {}

    def sign_in(number, username):
        sessions[number] = Client(port, cookies={"portal_language": "en"}).sign_in(username, PASSWORD).cookies

    threads = [threading.Thread(target=sign_in, args=item) for item in enumerate(usernames)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sessions) == len(usernames), "a grader could not sign in"
    return [sessions[number] for number in range(len(usernames))]
