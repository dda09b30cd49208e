"""The student's plan page: their case, the plan's editor (saved as they type), the checks before hand-in, the
hand-in, and the directory search a referral is picked from.

The editor is one form whose fields ``caseplans.plan.plan_from_form`` reads, so the page works without JavaScript:
"Save draft" posts it, and every row section ends with a spare empty row. The script (static/js/case_plan.js) adds,
removes and reorders rows and saves as the student types; the save answers it in JSON.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from accounts.models import Role
from caseplans import services
from caseplans.access import case_for_student, case_task_for_student
from caseplans.plan import (
    RESPONSIBLE_CHOICES,
    ROW_FIELDS,
    SECTION_LABELS,
    SECTION_ORDER,
    TEXT_SECTIONS,
    entry_ids,
    new_key,
    normalised,
    plan_from_form,
    plan_problems,
)
from config.autosave import refused_answer, saved_answer, sent_revision, wants_json
from directory.models import Entry
from directory.selectors import entries_found
from directory.text import search_words
from portfolio.forms import StatementForm
from portfolio.selectors import student_progress
from portfolio.views.built import HandInTexts, built_hand_in

FOUND_LIMIT = 10  # organisations a referral search lists
QUERY_LIMIT = 200  # characters of a search the server reads
# The form field that says a request carries the whole editor (so a hand-in saves it first).
EDITOR_FIELD = "plan_form"
HAND_IN_TEXTS = HandInTexts(
    refused=gettext_lazy("The plan was not handed in: put right everything listed under “Before you hand in”."),
    handed_in=gettext_lazy(
        'Version {number} of your plan is handed in. <a href="{link}" class="alert-link">Download its PDF</a>'
    ),
    handed_in_late=gettext_lazy(
        'Version {number} of your plan is handed in, late by {delay}. <a href="{link}" class="alert-link">'
        "Download its PDF</a>"
    ),
)

ROW_NAMES = {
    "problems": gettext_lazy("Problem %(number)s"),
    "goals": gettext_lazy("Goal %(number)s"),
    "interventions": gettext_lazy("Intervention %(number)s"),
    "referrals": gettext_lazy("Referral %(number)s"),
    "reviews": gettext_lazy("Review %(number)s"),
}
ADD_LABELS = {
    "problems": gettext_lazy("Add a problem"),
    "goals": gettext_lazy("Add a goal"),
    "interventions": gettext_lazy("Add an intervention"),
    "referrals": gettext_lazy("Add a referral"),
    "reviews": gettext_lazy("Add a review date"),
}
GOAL_CHOICE = gettext_lazy("Goal %(number)s: %(text)s")
GOAL_CHOICE_LENGTH = 60  # characters of a goal's text its choice shows

# The page --------------------------------------------------------------------------------------------------------


@require_GET
@role_required(Role.STUDENT)
def plan_edit(request, course_pk, pk):
    task = case_task_for_student(request.user, course_pk, pk)
    return _page(request, task)


def _page(request, task, *, data=None, errors=(), status=200):
    """The plan page: the student's case, then the editor holding ``data`` (or the saved working copy), the checks
    before hand-in and the versions handed in; once the task is closed, the plan as it stands, to read only."""
    student, now = request.user, timezone.now()
    assignment = case_for_student(task=task, student=student)
    saved = services.plan_for(task=task, student=student)
    progress = student_progress(student=student, tasks=[task])[task.pk]
    is_closed = progress.deadline.is_closed(now)
    plan = normalised(saved.data if saved else {}) if data is None or is_closed else data
    start, end = services.term_of(task.course)
    entries = Entry.objects.of_department(task.course.department_id).shown().in_bulk(entry_ids(plan))
    context = {
        "course": task.course,
        "task": task,
        "assignment": assignment,
        "saved": saved,
        "progress": progress,
        "latest_file": progress.latest.files.first() if progress.latest else None,
        "is_closed": is_closed,
        "is_late_now": progress.deadline.is_late(now),
        "errors": errors,
        "problems": [problem.message for problem in plan_problems(plan, start=start, end=end)],
    }
    if assignment is not None and not is_closed:
        context.update(_editor(task, student, plan, entries, start, end, saved))
    elif assignment is not None:
        content = services.plan_snapshot(assignment=assignment, plan=plan, entries=entries)
        # The plan as it stands is a version's only when that version holds exactly it.
        latest = progress.latest
        context.update(content=content, version=latest if latest and latest.content == content else None)
    return render(request, "caseplans/plan_edit.html", context, status=status)


def _editor(task, student, plan, entries, start, end, saved):
    sections = [_section(name, plan, entries) for name in SECTION_ORDER]
    return {
        "sections": sections,
        "row_templates": [_template_row(section["name"]) for section in sections if "rows" in section],
        "goal_choices": _goal_choices(plan["goals"]),
        "responsible_choices": RESPONSIBLE_CHOICES,
        "term_start": start,
        "term_end": end,
        "revision": saved.revision if saved else 0,
        "storage_key": f"caseplan:{task.pk}:{student.pk}",
        "editor_field": EDITOR_FIELD,
        "editor_text": _editor_text(),
        "statement_form": StatementForm(),
    }


def _section(name, plan, entries):
    section = {"name": name, "label": SECTION_LABELS[name]}
    if name in TEXT_SECTIONS:
        return {**section, "value": plan[name]}
    # One spare empty row at the end, so that a row can be added without JavaScript.
    spare = {field: new_key() if field == "key" else "" for field in ROW_FIELDS[name]}
    rows = [_row(name, index, values, entries) for index, values in enumerate([*plan[name], spare])]
    return {**section, "rows": rows, "add_label": ADD_LABELS[name]}


def _row(section, index, values, entries, number=None):
    title = ROW_NAMES[section] % {"number": number or index + 1}
    entry_id = values.get("entry")
    row = {
        "prefix": f"{section}-{index}",
        "title": title,
        "values": values,
        "up_label": _("Move up: %(row)s") % {"row": title},
        "down_label": _("Move down: %(row)s") % {"row": title},
        "remove_label": _("Remove: %(row)s") % {"row": title},
    }
    if entry_id:
        # An organisation hidden or merged away since it was picked is dropped here, and the student told so.
        row["entry"] = entries.get(entry_id)
        row["entry_gone"] = row["entry"] is None
    return row


def _template_row(section):
    """The row the script copies when a row is added; it numbers the copy itself."""
    values = dict.fromkeys(ROW_FIELDS[section], "")
    return {"section": section, "row": _row(section, "__index__", values, {}, number="__number__")}


def _goal_choices(goals):
    choices = []
    for number, goal in enumerate(goals, start=1):
        text = goal["text"]
        if len(text) > GOAL_CHOICE_LENGTH:
            text = text[: GOAL_CHOICE_LENGTH - 1] + "…"
        label = GOAL_CHOICE % {"number": number, "text": text} if text else ROW_NAMES["goals"] % {"number": number}
        choices.append((goal["key"], label))
    return choices


def _editor_text():
    """What the script says, in the page's language."""
    return {
        "rows": {name: str(label) for name, label in ROW_NAMES.items()},
        "goalChoice": str(GOAL_CHOICE),
        "goalChoiceLength": GOAL_CHOICE_LENGTH,
        "up": _("Move up: %(row)s"),
        "down": _("Move down: %(row)s"),
        "remove": _("Remove: %(row)s"),
        "confirmRemove": _("Remove %(row)s and everything written in it?"),
        "moved": _("Moved: it is %(row)s now."),
        "removed": _("%(row)s was removed."),
        "added": _("%(row)s was added."),
        "saving": _("Saving…"),
        "saved": _("Saved at %(time)s"),
        "offline": _("Not saved — no connection. Your changes are kept in this browser; trying again…"),
        "refused": _("Not saved:"),
        "signedOut": _(
            "Not saved — you have been signed out. Sign in again in another tab; your changes are kept in this browser."
        ),
        "restored": _("Changes this browser kept from your last visit were put back; saving them."),
        "dropped": _(
            "This browser held changes older than the saved plan; they were left out, and the saved plan is shown."
        ),
        "ready": _("Nothing left to put right: the plan can be handed in."),
        "found": _("Organisations found: %(count)s"),
        "nothingFound": _("Nothing in the directory matches."),
        "searchFailed": _("The directory could not be searched just now; try again, or write the organisation."),
    }


# Saving and handing in -------------------------------------------------------------------------------------------


@require_POST
@role_required(Role.STUDENT)
def plan_save(request, course_pk, pk):
    task = case_task_for_student(request.user, course_pk, pk)
    try:
        plan = services.plan_save(
            task=task, student=request.user, values=request.POST, revision=sent_revision(request.POST)
        )
    except ValidationError as error:
        if wants_json(request):
            return refused_answer(error)
        # The page again with what the student wrote, so that nothing typed is lost to a refusal.
        return _page(request, task, data=plan_from_form(request.POST)[0], errors=error.messages, status=400)
    if wants_json(request):
        start, end = services.term_of(task.course)
        return saved_answer(
            plan, problems=[problem.message for problem in plan_problems(plan.data, start=start, end=end)]
        )
    messages.success(request, _("Your draft is saved."))
    return redirect("caseplans:plan_edit", task.course_id, task.pk)


@require_POST
@role_required(Role.STUDENT)
def plan_submit(request, course_pk, pk):
    """Hand the plan in. Sent from the editor, it first saves what the page holds, whatever the autosave caught,
    unless another tab or device saved something else since the page was opened."""
    task = case_task_for_student(request.user, course_pk, pk)
    plan_page = reverse("caseplans:plan_edit", args=[task.course_id, task.pk])
    if EDITOR_FIELD in request.POST:
        try:
            # From a page behind another tab's save, nothing is handed in: the student reloads and chooses.
            services.plan_save(
                task=task, student=request.user, values=request.POST, revision=sent_revision(request.POST)
            )
        except ValidationError as error:
            return _page(request, task, data=plan_from_form(request.POST)[0], errors=error.messages, status=400)
    return built_hand_in(
        request,
        task=task,
        submit=services.plan_submit,
        in_checklist=partial(_in_checklist, task, request.user),
        texts=HAND_IN_TEXTS,
        back=f"{plan_page}#hand-in",
    )


def _in_checklist(task, student, error):
    """The checks that failed are the page's checklist, listed in full there: one message points to it."""
    plan = services.plan_for(task=task, student=student)
    start, end = services.term_of(task.course)
    listed = {problem.message for problem in plan_problems(plan.data if plan else {}, start=start, end=end)}
    return bool(listed) and set(error.messages) <= listed


# The directory ---------------------------------------------------------------------------------------------------


@require_GET
@role_required(Role.STUDENT)
def organisations(request, course_pk, pk):
    """The department's shown directory entries a referral search finds, ten at most, as JSON."""
    task = case_task_for_student(request.user, course_pk, pk)
    query = request.GET.get("q", "")[:QUERY_LIMIT]
    found = []
    if search_words(query):
        found = entries_found(department_id=task.course.department_id, include_hidden=False, text=query)[:FOUND_LIMIT]
    return JsonResponse(
        {
            "results": [
                {
                    "id": entry.pk,
                    "name": entry.name,
                    "city": entry.city,
                    "type": str(entry.type_label),
                    "phones": entry.phone_list,
                }
                for entry in found
            ]
        }
    )
