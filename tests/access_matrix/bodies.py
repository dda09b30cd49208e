"""What each state-changing page is posted: the data that the allowed actor would send to make the change.

A refused actor sends the same, so that "nothing changed" is checked against a request that would have changed
something. Forms with formsets are filled by the helpers of the tests that own them (imported, not rewritten).
Each function takes the world (primary keys) and reads what it needs.
"""

import datetime as dt

from django.utils import timezone

from analysis.views.editor import EDITOR_FIELD as ANALYSIS_EDITOR
from caseplans.views.plan import EDITOR_FIELD as PLAN_EDITOR
from coursework.models import Course, Task
from grading.models import Grade, Rubric
from grading.services.letter_scale import single_f_rows
from tests.analysis.conftest import analysis_values
from tests.caseplans.conftest import plan_values
from tests.conftest import PASSWORD
from tests.coursework.test_reading_list_views import editor_data
from tests.coursework.test_roster_import import student_rows, xlsx_file
from tests.directory.conftest import row
from tests.grading.test_bands_views import posted
from tests.grading.test_letter_scale_views import form_data as letter_scale_data
from tests.grading.test_rubrics_views import TWO_BY_THREE, editor_post, rows_of
from tests.grading.test_task_editor_views import NEW_TASK
from tests.grading.test_task_editor_views import form_data as task_data
from tests.portfolio.conftest import docx
from tests.toolkits.conftest import pptx_upload, toolkit_values
from toolkits.views.editor import EDITOR_FIELD as TOOLKIT_EDITOR

NEW_PASSWORD = "Жаңа-құпиясөз-2026!"
STATEMENT = {"own_work": "on", "deidentified": "on"}
CASE = {
    "title": "Марат: ұзақ уақыт жұмыссыздық",
    "language": "kk",
    "client_category": "unemployed",
    "text": "Марат, 45 жаста, үш жылдан бері тұрақты жұмысы жоқ. Әйелі мен екі баласы бар.",
}


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


# accounts ---------------------------------------------------------------------------------------------------------


def password_change(world):
    return {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def password_set(world):
    return {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


def language(world):
    return {"language": "ru", "next": "/"}


# coursework -------------------------------------------------------------------------------------------------------


def course(world, **changes):
    """A course form the department's admin fills (its instructor is of the cast's department)."""
    return {
        "code": "SW-201",
        "title": "Әлеуметтік жұмыс теориясы",
        "title_ru": "Теория социальной работы",
        "title_en": "Theory of social work",
        "programme": "7В11401 – Әлеуметтік жұмыс",
        "academic_year": "2025-2026",
        "term": "spring",
        "start_date": "2026-01-12",
        "expected_points": "60",
        "reference_style": "gost",
        "compiler": "Жақыпова С.А.",
        "department_protocol_number": "5",
        "department_protocol_date": "2025-12-10",
        "instructors": [world.users["instructor"]],
        **changes,
    }


def course_copy(world):
    return {"code": "SW-301", "academic_year": "2026-2027", "term": "autumn", "start_date": "2026-08-31"}


def reading_list(world):
    return editor_data(Course.objects.get(pk=world.course), compiler="Жаңа құрастырушы")


def roster_upload(world):
    return {"file": xlsx_file(student_rows(1, start=40))}


def slot_publish(world):
    day = timezone.localdate() + dt.timedelta(days=10)
    return {
        "kind": "defence",
        "date": day.isoformat(),
        "start_time": "14:00",
        "length": "20",
        "count": "2",
        "place": "Ауд. 305",
        "capacity": "1",
        "closes_hours_before": "24",
    }


def slot_delete(world):
    return {"confirmed": "on"}


def attendance(world):
    return {f"attendance-{world.booking}": "attended"}


# portfolio, caseplans, analysis, toolkits -------------------------------------------------------------------------


def upload(world):
    return {"files": docx("қосымша.docx")}


def hand_in(world):
    return {"files": docx("есеп-2.docx"), **STATEMENT}


def case(world):
    return dict(CASE)


def case_renamed(world):
    return {**CASE, "title": "Марат: жаңа атау"}


def assign(world):
    return {"student": world.users["classmate"], "vignette": world.spare_vignette}


def assign_outsider(world):
    return {"student": world.users["other_student"], "vignette": world.spare_vignette}


def plan(world):
    return plan_values()


def plan_submit(world):
    """A plan that differs from the student's version 1 (the same again makes no version), sent as the editor sends
    it: saved first, then handed in."""
    values = plan_values(closing="Клиент қауіпсіз, құжаттары қалпына келді.")
    return {**values, **STATEMENT, PLAN_EDITOR: "1"}


def analysis(world):
    return analysis_values()


def analysis_submit(world):
    return {**analysis_values(**{"strengths-1-text": "Кәсіби қауымдастық"}), **STATEMENT, ANALYSIS_EDITOR: "1"}


def report(world):
    return {"report": docx("есеп.docx")}


def toolkit(world):
    return toolkit_values()


def toolkit_submit(world):
    values = toolkit_values(**{"instruments-0-purpose": "Клиенттің тұрмысы туралы мәліметтер"})
    return {**values, **STATEMENT, TOOLKIT_EDITOR: "1"}


def presentation(world):
    return {"presentation": pptx_upload()}


# directory --------------------------------------------------------------------------------------------------------


def institution_choose(world):
    return {"entry": world.entry}


def hidden_institution(world):
    return {"entry": world.hidden_entry}


def institution(world):
    fields = ("organisation", "organisation_type", "client_category", "services", "region", "city", "phone")
    values = row(organisation="«Жаңа өмір» орталығы")
    return {name: values[name] for name in fields} | {"email": values["email"], "website": values["website"]}


# grading ----------------------------------------------------------------------------------------------------------


def deadline(world):
    return {"cutoff_at": "2025-10-01T12:00"}


def extension(world):
    return {
        "student": world.users["classmate"],
        "due_at": "2025-09-28T23:59",
        "cutoff_at": "2025-09-30T23:59",
        "reason": "ауру",
    }


def extension_for_outsider(world):
    return {**extension(world), "student": world.users["other_student"]}


def release_all(world):
    return {"expected": "1"}


def task_rubric(world):
    return {"rubric": world.rubric}


def other_departments_rubric(world):
    return {"rubric": world.other_rubric}


def new_task(world):
    return dict(NEW_TASK)


def task_edit(world):
    return task_data(Task.objects.get(pk=world.tasks["СОӨЖ 1"]), title="Кейс-менеджмент: жаңа атау")


def move(world):
    return {"direction": "down"}


def grade(world):
    current = Grade.objects.get(pk=world.released_grade)
    return {"lock_version": current.lock_version, "action": "save", "percent": "85", "feedback": "Жақсы жұмыс."}


def control_scores(world):
    return {f"rk1-{world.users['student']}": "70"}


def formula(world):
    return {
        "uses_credit_formula": "on",
        "first_half_last_week": "8",
        "current_weight": "0.4",
        "admission_threshold": "55",
        "admission_weight": "0.7",
        "exam_weight": "0.3",
    }


def lock(world):
    return {"starts_at": _moment(timezone.now() + dt.timedelta(days=400)), "note": "Емтихан кезеңі"}


def unlock(world):
    return {"reason": "Апелляция: қайта бағаланады"}


def sign_off(world):
    return {"note": "Тексерілді"}


def letter_scale(world):
    return letter_scale_data(single_f_rows())


def rubric_new(world):
    return editor_post("Жаңа рубрика", TWO_BY_THREE)


def rubric_edit(world):
    return editor_post("Кафедраның рубрикасы: жаңа атау", rows_of(Rubric.objects.get(pk=world.rubric)))


def bands(world):
    return posted(Rubric.objects.get(pk=world.rubric), {1: {"originality_min": "90"}})
