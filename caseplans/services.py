"""Workflows of case plans: writing and handing out case vignettes, saving a plan as it is typed, handing it in."""

import json
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from caseplans.documents import plan_file_name, plan_pdf
from caseplans.models import CaseAssignment, Vignette
from caseplans.plan import entry_ids, normalised, plan_from_form, plan_problems
from coursework.models import Deliverable, Task
from directory.models import Entry
from portfolio.models import Submission, WorkingCopy
from portfolio.selectors import working_copy_for
from portfolio.services import (
    built_version_submit,
    require_open,
    working_copy_lock,
    working_copy_save,
)

EXAMPLES_FILE = Path(settings.BASE_DIR) / "fixtures" / "example_vignettes.json"


# Vignettes ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def vignette_save(*, course, by, title, language, client_category, text, vignette=None):
    """Write a new vignette for the course, or change one. The text is the instructor's to de-identify: the form
    warns on what looks like personal data and asks for a confirmation before this is called."""
    vignette = vignette or Vignette(course=course, created_by=by)
    if vignette.course_id != course.pk:
        raise ValidationError(_("This case belongs to another course."), code="other_course")
    vignette.title, vignette.language, vignette.client_category, vignette.text = title, language, client_category, text
    vignette.full_clean()
    vignette.save()
    return vignette


@transaction.atomic
def vignette_delete(*, vignette):
    """Delete a vignette nobody has been given; one a student plans on stays."""
    try:
        vignette.delete()
    except ProtectedError:
        raise ValidationError(
            _("This case has been given to students; it can be changed, but not deleted."), code="assigned"
        ) from None


@transaction.atomic
def vignette_examples_add(*, course, by):
    """Add the portal's example vignettes the course does not hold yet (edited or not); how many were added."""
    examples = json.loads(EXAMPLES_FILE.read_text(encoding="utf-8"))
    held = set(course.vignettes.exclude(example_key="").values_list("example_key", flat=True))
    new = [
        Vignette(course=course, created_by=by, is_example=True, example_key=key, **example)
        for key, example in ((example.pop("key"), example) for example in examples)
        if key not in held
    ]
    Vignette.objects.bulk_create(new)
    return len(new)


# Handing out -------------------------------------------------------------------------------------------------------


def has_started(*, task, student_ids):
    """Of ``student_ids``, those who have started the task's plan: saved it once, or handed in."""
    started = set(
        WorkingCopy.objects.filter(task=task, student_id__in=student_ids).values_list("student_id", flat=True)
    )
    started |= set(
        Submission.objects.filter(task=task, student_id__in=student_ids, versions__isnull=False).values_list(
            "student_id", flat=True
        )
    )
    return started


def _require_case_plan_task(task):
    if task.deliverable != Deliverable.CASE_PLAN:
        raise ValidationError(_("Cases are handed out only for a case plan task."), code="not_case_plan")


@transaction.atomic
def cases_hand_out(*, task, by):
    """Give a case to every enrolled student of the task's course who has none, balanced across the vignettes.

    Rule: each student in turn (by group, then name) takes the vignette given to the fewest so far, the earlier
    one on a tie, so the counts never differ by more than one among the new hand-outs. Returns how many were given.
    """
    _require_case_plan_task(task)
    # Two hand-outs at once (a double click) would both give the same students a case: the second waits here.
    Task.objects.select_for_update().filter(pk=task.pk).first()
    vignettes = list(task.course.vignettes.all())
    if not vignettes:
        raise ValidationError(_("Write a case, or add the examples, before handing cases out."), code="no_vignettes")
    given = Counter(task.case_assignments.values_list("vignette_id", flat=True))
    waiting = (
        task.course.enrollments.exclude(student__case_assignments__task=task)
        .select_related("student")
        .order_by("academic_group", "student__last_name", "student__first_name", "student__pk")
    )
    new = []
    for enrollment in waiting:
        vignette = min(vignettes, key=lambda item: given[item.pk])
        given[vignette.pk] += 1
        new.append(
            CaseAssignment(task=task, student=enrollment.student, vignette=vignette, assigned_by=by, is_automatic=True)
        )
    CaseAssignment.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def case_assign(*, task, student, vignette, by):
    """Give one student a case chosen by hand, or change theirs, until they start the plan."""
    _require_case_plan_task(task)
    if vignette.course_id != task.course_id:
        raise ValidationError(_("This case belongs to another course."), code="other_course")
    if not task.course.enrollments.filter(student=student).exists():
        raise ValidationError(_("This student is not enrolled in the course."), code="not_enrolled")
    if has_started(task=task, student_ids=[student.pk]):
        raise ValidationError(
            _("%(name)s has started the plan: the case can no longer be changed.") % {"name": student.display_name},
            code="started",
        )
    assignment, _created = CaseAssignment.objects.update_or_create(
        task=task, student=student, defaults={"vignette": vignette, "assigned_by": by, "is_automatic": False}
    )
    return assignment


# The plan ----------------------------------------------------------------------------------------------------------


def _assignment(task, student):
    assignment = CaseAssignment.objects.filter(task=task, student=student).select_related("vignette").first()
    if assignment is None:
        raise ValidationError(_("You have not been given a case yet."), code="no_case")
    return assignment


def _directory_entries(task, plan):
    """The directory entries the plan's referrals name, by id; an entry gone or hidden since is a message."""
    wanted = entry_ids(plan)
    entries = Entry.objects.of_department(task.course.department_id).shown().in_bulk(wanted)
    if len(entries) != len(wanted):
        raise ValidationError(
            _("A referral names an organisation that is no longer in the directory: pick it again."), code="entry"
        )
    return entries


@transaction.atomic
def plan_save(*, task, student, values, revision=None, now=None):
    """Save the student's working copy of the plan from the page's form values; the saved plan.

    Rule: only the student given a case saves, until the task closes; what cannot be kept whole (a text over its
    limit, too many rows, a referral to an organisation not in the directory) is refused and nothing is saved.
    Every save counts a revision. A page that says which ``revision`` it started from saves only over that one: if
    another tab or device saved since, the save is refused (code "stale") rather than overwrite newer work.
    """
    now = now or timezone.now()
    _assignment(task, student)
    require_open(task=task, student=student, now=now)
    data, errors = plan_from_form(values)
    if errors:
        raise ValidationError(errors, code="too_long")
    _directory_entries(task, data)
    return working_copy_save(task=task, student=student, data=data, revision=revision, now=now)


def plan_for(*, task, student):
    """The student's working copy of the plan, or None before their first save."""
    return working_copy_for(task=task, student=student)


def term_of(course):
    """The dates a goal's target must fall within: the course's term."""
    return course.start_date, course.end_date


def plan_snapshot(*, assignment, plan, entries):
    """What a handed-in version keeps: the case as it was given, and the plan with each referral's organisation and
    its contacts copied from the directory as they stood."""
    data = normalised(plan)
    referrals = []
    for row in data["referrals"]:
        entry = entries.get(row["entry"]) if row["entry"] else None
        directory = None
        if entry is not None:
            directory = {
                field: getattr(entry, field)
                for field in ("name", "city", "address", "phones", "email", "website", "hours")
            }
        referrals.append({**row, "directory": directory})
    vignette = assignment.vignette
    return {
        "kind": Deliverable.CASE_PLAN,
        "case": {
            "id": vignette.pk,
            "title": vignette.title,
            "language": vignette.language,
            "client_category": vignette.client_category,
            "text": vignette.text,
        },
        "plan": {**data, "referrals": referrals},
    }


@transaction.atomic
def plan_submit(*, task, student, statement_accepted, now=None):
    """Hand in the student's plan: a frozen copy of it becomes a new version, with its PDF as the version's file.

    Rule: the plan passes every check of ``plan_problems`` (each failing check is a message); then it is handed in
    as any version is (statement, lateness, cut-off, all or nothing), and must differ from the version before. The
    working copy is locked while it is read and frozen, so a save arriving meanwhile waits for the hand-in. Later
    edits of the working copy never touch a handed-in version.
    """
    now = now or timezone.now()
    assignment = _assignment(task, student)
    require_open(task=task, student=student, now=now)
    plan = working_copy_lock(task=task, student=student)
    data = normalised(plan.data if plan else {})
    start, end = term_of(task.course)
    problems = plan_problems(data, start=start, end=end)
    if problems:
        raise ValidationError([problem.message for problem in problems], code="incomplete")
    content = plan_snapshot(assignment=assignment, plan=data, entries=_directory_entries(task, data))

    def document(version):
        pdf = plan_pdf(content=content, task=task, student=student, version=version)
        return plan_file_name(task=task, version=version), pdf

    return built_version_submit(
        task=task, student=student, statement_accepted=statement_accepted, content=content, document=document, now=now
    )
