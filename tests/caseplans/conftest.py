"""The case plan task of the cast's course, a case given to ``student``, a directory entry to refer to, and the form
values of a plan that passes every check.

The cast's term starts on 1 September 2025 (week 1) and ends on Sunday 14 December 2025 (week 15); СОӨЖ 2-3 is due
at the end of week 7, Sunday 19 October 2025, 23:59.
"""

import datetime as dt

import pytest
from django.utils import timezone

from caseplans import services
from caseplans.models import CaseAssignment, Vignette
from directory.models import Entry
from portfolio.models import Version
from tests.directory.conftest import hand_in_rows, row

# A moment in the term, before СОӨЖ 2-3 is due.
WORKING = timezone.make_aware(dt.datetime(2025, 10, 10, 12, 0))

VIGNETTE_TEXT = (
    "Айгүл, 34 жаста, екі баласымен тұрады. Күйеуі бірнеше жыл бойы оған қол көтерген; соңғы оқиғадан кейін "
    "ол балаларымен бірге туысының үйіне кетті. Жұмысы жоқ, құжаттарының бір бөлігі күйеуінде қалды."
)


@pytest.fixture
def case_task(cast):
    """СОӨЖ 2-3: the individual work plan."""
    return cast.tasks["СОӨЖ 2-3"]


@pytest.fixture
def vignette(cast):
    return Vignette.objects.create(
        course=cast.course,
        title="Айгүл: тұрмыстық зорлық-зомбылық",
        language="kk",
        client_category="domestic_violence",
        text=VIGNETTE_TEXT,
        created_by=cast.instructor,
    )


@pytest.fixture
def given_case(cast, case_task, vignette):
    """``student`` has been given ``vignette`` for СОӨЖ 2-3."""
    return CaseAssignment.objects.create(
        task=case_task, student=cast.student, vignette=vignette, assigned_by=cast.instructor
    )


@pytest.fixture
def entry(cast):
    """An organisation in the department's directory, from a classmate's handed-in repository."""
    hand_in_rows(cast.tasks["СӨЖ 1"], cast.classmate, [row()])
    return Entry.objects.get(department=cast.department, name="«Ақ жүрек» қоры")


def plan_values(entry_id=None, **changes):
    """The form values of a plan that passes every check: two goals, three interventions, two referrals (one to
    ``entry_id`` if given), one review. ``changes`` replace or add values."""
    values = {
        "profile": "Әйел, 34 жаста, екі баланың анасы; қазір туысының үйінде тұрады.",
        "history": "Алты жыл бойы тұрмыстық зорлық-зомбылық; бұрын полицияға бір рет арыз берген.",
        "needs": "Қауіпсіз баспана, құжаттарды қалпына келтіру, психологиялық қолдау, табыс.",
        "strengths": "Балаларына қамқор, орта арнаулы білімі бар, туысы қолдайды.",
        "problems-0-text": "Қауіпсіздікке қатер",
        "problems-1-text": "Құжаттардың болмауы",
        "goals-0-key": "gsafe",
        "goals-0-text": "Клиент пен балалардың қауіпсіздігін қамтамасыз ету",
        "goals-0-indicator": "Дағдарыс орталығына орналасты, қорғау нұсқамасы алынды",
        "goals-0-target": "2025-10-31",
        "goals-1-key": "gdocs",
        "goals-1-text": "Құжаттарды қалпына келтіру",
        "goals-1-indicator": "Жеке куәлік пен балалардың туу туралы куәліктері қолында",
        "goals-1-target": "2025-11-30",
        "interventions-0-action": "Дағдарыс орталығына жолдау",
        "interventions-0-responsible": "case_manager",
        "interventions-0-agency": "",
        "interventions-0-due": "2025-10-15",
        "interventions-0-goal": "gsafe",
        "interventions-1-action": "Полицияға арыз беру",
        "interventions-1-responsible": "client",
        "interventions-1-agency": "",
        "interventions-1-due": "2025-10-20",
        "interventions-1-goal": "gsafe",
        "interventions-2-action": "ХҚКО-да құжаттарды қалпына келтіру",
        "interventions-2-responsible": "agency",
        "interventions-2-agency": "ХҚКО",
        "interventions-2-due": "2025-11-20",
        "interventions-2-goal": "gdocs",
        "referrals-0-entry": str(entry_id) if entry_id else "",
        "referrals-0-organisation": "" if entry_id else "Аудандық әлеуметтік қызмет",
        "referrals-0-purpose": "Уақытша баспана және психологиялық көмек",
        "referrals-1-entry": "",
        "referrals-1-organisation": "Заң клиникасы",
        "referrals-1-purpose": "Ажырасу және алимент бойынша кеңес",
        "monitoring": "Апта сайын телефон арқылы байланыс, айына бір рет үйге бару.",
        "reviews-0-date": "2025-11-15",
        "reviews-0-focus": "Қауіпсіздік жоспарының орындалуы",
        "closing": "Клиент қауіпсіз жерде тұрады, құжаттары бар, тұрақты табысы бар.",
    }
    values.update(changes)
    return values


def hand_in_plan(task, student, moment=WORKING, entry_id=None, **changes):
    """Hand in a complete plan for ``student`` as the plan page does: a case given (the course's first vignette,
    written here if the course has none), the working copy saved, then handed in. Each call hands in a plan that
    differs from the one before, so it always makes a new version."""
    vignette = Vignette.objects.filter(course=task.course).first() or Vignette.objects.create(
        course=task.course, title="Айгүл", language="kk", client_category="domestic_violence", text=VIGNETTE_TEXT
    )
    CaseAssignment.objects.get_or_create(task=task, student=student, defaults={"vignette": vignette})
    versions = Version.objects.filter(submission__task=task, submission__student=student).count()
    values = plan_values(entry_id, **{"closing": f"{plan_values()['closing']} ({versions + 1})", **changes})
    services.plan_save(task=task, student=student, values=values, now=moment)
    return services.plan_submit(task=task, student=student, statement_accepted=True, now=moment)
