"""The world the access matrix is asked about: the cast's course with one of everything a page can be about.

``student`` owns the work: an essay handed in and graded with the grade released, a plan on a case (the classmate
has the same case, a third student waits for one), an analysis with its report (graded, not released), a toolkit
with its presentation, a file staged in a draft, a booked defence slot. Around it: a vignette and a spare one, a
hidden task, a rubric of the department written by ``instructor``, a planned gradebook lock, a roster import, two
entries of the department's directory (one hidden). ``colleague`` is a ninth actor: an instructor of the same
department who does not teach the course (rubrics and the directory are the department's, so they may differ from
``other_instructor``).

Only primary keys are kept: each test reads the rows it needs itself, as the cast fixture hands out fresh copies.
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Role
from caseplans.models import CaseAssignment, Vignette
from coursework.forms.rosters import read_roster
from coursework.models import Enrollment, Slot, SlotKind, Task
from coursework.services.rosters import roster_import_create
from coursework.services.slots import booking_create
from directory.models import Entry
from directory.services import entry_hide
from grading.services.gradebook import gradebook_lock
from grading.services.grades import grade_release, grade_save
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure, rubric_copy
from jobs.models import Job
from jobs.queue import job_start
from portfolio import services as portfolio_services
from portfolio.models import SubmissionFile
from tests.conftest import make_user
from tests.coursework.test_roster_import import student_rows, xlsx_file
from tests.directory.conftest import hand_in_rows, row
from tests.grading.conftest import hand_in_work
from tests.portfolio.conftest import at, docx

ACTORS = (
    "anonymous",
    "student",
    "classmate",
    "other_student",
    "instructor",
    "colleague",
    "other_instructor",
    "dept_admin",
    "other_dept_admin",
)

CASE_TEXT = "Дана, 78 жаста, жалғыз тұрады; көршісі азық-түлік әкеліп береді, туыстары басқа қалада."
STAGED_TASK = "СОӨЖ 4-5"  # the institution report: a file hand-in, where the student keeps a staged file


def _own_file(version):
    """The file the student uploaded with a version (not the document the portal made from a built work)."""
    return SubmissionFile.objects.get(version=version, is_generated=False).pk


def _future_slot(task, days, hour):
    starts = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0) + dt.timedelta(days=days)
    return Slot.objects.create(
        task=task,
        kind=SlotKind.DEFENCE,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=20),
        place="Ауд. 305",
        capacity=3,
        booking_closes_at=starts - dt.timedelta(hours=24),
    )


def _graded_work(cast):
    """The essay (released grade), the analysis (draft grade), the toolkit and the plan, all ``student``'s."""
    tasks = cast.tasks
    essay = hand_in_work(tasks["СОӨЖ 1"], cast.student)
    released = grade_save(version=essay, grader=cast.instructor, expected_lock_version=0, points=15)
    grade_release(grade=released, by=cast.instructor, notify=False)
    analysis = hand_in_work(tasks["СӨЖ 4"], cast.student)
    draft = grade_save(version=analysis, grader=cast.instructor, expected_lock_version=0, points=10)
    toolkit = hand_in_work(tasks["СӨЖ 3"], cast.student)
    hand_in_work(tasks["СОӨЖ 2-3"], cast.student)
    # The classmate plans on the same case (and so may save a plan); a third student still waits for one.
    CaseAssignment.objects.create(
        task=tasks["СОӨЖ 2-3"], student=cast.classmate, vignette=Vignette.objects.get(course=cast.course)
    )
    waiting = make_user("waiting", Role.STUDENT, cast.department, last_name="Күтуші")
    Enrollment.objects.create(course=cast.course, student=waiting, academic_group="СЖ-23-02")
    staged = portfolio_services.draft_add_files(
        task=tasks[STAGED_TASK], student=cast.student, uploads=[docx("есеп.docx")], now=at(dt.date(2025, 11, 1))
    )
    return SimpleNamespace(
        submission=essay.submission_id,
        submitted_file=_own_file(essay),
        released_grade=released.pk,
        draft_grade=draft.pk,
        analysis_submission=analysis.submission_id,
        report_file=_own_file(analysis),
        presentation_file=_own_file(toolkit),
        draft_file=SubmissionFile.objects.get(version=staged).pk,
        draft_submission=staged.submission_id,
    )


def _directory(cast):
    """A shown and a hidden entry of the department's directory, from a classmate's repository."""
    hand_in_rows(cast.tasks["СӨЖ 1"], cast.classmate, [row(), row(organisation="«Үміт» орталығы")])
    entries = Entry.objects.filter(department=cast.department)
    hidden = entry_hide(entry=entries.get(name="«Үміт» орталығы"), hidden_by=cast.instructor)
    return entries.get(name="«Ақ жүрек» қоры").pk, hidden.pk


def build_world(cast):
    """Write the world into the database (inside the module's transaction) and return its keys."""
    colleague = make_user("colleague", Role.INSTRUCTOR, cast.department, last_name="Оспанова")
    letter_scale_ensure()
    shared_rubric = essay_rubric_ensure()
    rubric = rubric_copy(rubric=shared_rubric, department=cast.department, user=cast.instructor)
    work = _graded_work(cast)
    slot = _future_slot(cast.tasks["СӨЖ 3"], days=7, hour=10)
    booking = booking_create(slot=slot, student=cast.student)
    entry, hidden_entry = _directory(cast)
    roster_import = roster_import_create(
        course=cast.course,
        file_name="тізім.xlsx",
        inputs=read_roster(xlsx_file(student_rows(2))),
        uploaded_by=cast.dept_admin,
    )
    planned = timezone.now() + dt.timedelta(days=30)
    lock = gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=planned, ends_at=planned + dt.timedelta(10))
    users = {name: getattr(cast, name).pk for name in ACTORS if name not in ("anonymous", "colleague")}
    return SimpleNamespace(
        course=cast.course.pk,
        other_course=cast.other_course.pk,
        tasks={label: task.pk for label, task in cast.tasks.items()},
        users={**users, "colleague": colleague.pk},
        rubric=rubric.pk,
        shared_rubric=shared_rubric.pk,
        other_rubric=rubric_copy(rubric=shared_rubric, department=cast.other_department, user=cast.other_instructor).pk,
        vignette=Vignette.objects.get(course=cast.course).pk,
        spare_vignette=Vignette.objects.create(
            course=cast.course, title="Дана", language="kk", client_category="elderly", text=CASE_TEXT
        ).pk,
        hidden_task=Task.objects.create(
            course=cast.course,
            label="СӨЖ 9",
            kind="sozh",
            deliverable="essay",
            title="Қосымша",
            due_week=12,
            max_points=5,
            is_hidden=True,
        ).pk,
        slot=slot.pk,
        free_slot=_future_slot(cast.tasks["СӨЖ 3"], days=8, hour=11).pk,
        booking=booking.pk,
        entry=entry,
        hidden_entry=hidden_entry,
        roster_import=roster_import.pk,
        lock=lock.pk,
        reset_uid=urlsafe_base64_encode(force_bytes(cast.student.pk)),
        job=job_start(kind=Job.Kind.COURSE_XLSX, user=cast.instructor, language="kk", course=cast.course).pk,
        **vars(work),
    )
