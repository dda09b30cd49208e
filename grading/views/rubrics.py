"""The rubric editor: list, read, create, edit and copy rubrics, and attach one to a task."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from accounts.i18n import kazakh_sort_key
from accounts.models import Role
from config.messages import report_errors
from coursework.access import task_for_grader
from coursework.models import Task
from grading import scoring
from grading.access import can_edit_rubric, rubric_for_editor, rubric_for_user
from grading.forms.rubrics import RubricEditor, TaskRubricForm
from grading.models import Grade, Rubric
from grading.services import rubrics as services
from grading.templatetags.grading_numbers import figure

STAFF = (Role.INSTRUCTOR, Role.DEPARTMENT_ADMIN)


def _own_department(user):
    """The department new rubrics and copies belong to. Superusers without one write shared rubrics."""
    if user.department_id is None and not user.is_superuser:
        raise PermissionDenied
    return user.department


def _quoted(criteria, indexes):
    # Translators: how a criterion's title is quoted inside a sentence («…» in Kazakh and Russian).
    return ", ".join(_("“%(title)s”") % {"title": criteria[index].display_title} for index in indexes)


def _everywhere(criteria, indexes):
    return len(criteria) > 1 and len(indexes) == len(criteria)


def _edges_note(criteria, indexes, edges):
    context = {"criteria": _quoted(criteria, indexes), "edges": ", ".join(f"{figure(edge)}%" for edge in edges)}
    if _everywhere(criteria, indexes):
        text = ngettext(
            "Levels share the edge %(edges)s in every criterion: an edge value belongs to the higher level.",
            "Levels share the edges %(edges)s in every criterion: an edge value belongs to the higher level.",
            len(edges),
        )
    else:
        text = ngettext(
            "Levels of %(criteria)s share the edge %(edges)s: an edge value belongs to the higher level.",
            "Levels of %(criteria)s share the edges %(edges)s: an edge value belongs to the higher level.",
            len(edges),
        )
    return text % context


def _range_note(criteria, indexes, code, low, high):
    context = {"criteria": _quoted(criteria, indexes), "low": figure(low), "high": figure(high)}
    everywhere = _everywhere(criteria, indexes)
    if code == "overlap" and everywhere:
        text = _(
            "Levels overlap from %(low)s%% to %(high)s%% in every criterion: a value there belongs to the higher level."
        )
    elif code == "overlap":
        text = _(
            "Levels of %(criteria)s overlap from %(low)s%% to %(high)s%%: a value there belongs to the higher level."
        )
    elif everywhere:
        text = _("No level covers the points between %(low)s%% and %(high)s%% in any criterion: they cannot be given.")
    else:
        text = _("No level of %(criteria)s covers the points between %(low)s%% and %(high)s%%: they cannot be given.")
    return text % context


def _rubric_notes(criteria):
    """What scoring.rubric_inconsistencies finds, in words.

    A finding common to several criteria is said once, and the edges that the same criteria share are
    listed together ("Levels share the edges 10%, 15%, 20% in every criterion: …"). When every criterion
    shares edges but not the same ones (criteria of different weights), one sentence says so for all.
    """
    notes, found = [], {}
    for code, detail in scoring.rubric_inconsistencies([list(criterion.levels.all()) for criterion in criteria]):
        if code == "maximum":
            notes.append(
                _(
                    "The criteria's maxima add up to %(maximum)s%%, not 100%%. Points are scaled: task points = "
                    "max points × rubric sum ÷ %(maximum)s, rounded to 0.1."
                )
                % {"maximum": figure(detail)}
            )
        else:
            index, *values = detail
            found.setdefault((code, tuple(values)), []).append(index)
    edges = {}
    for (code, values), indexes in found.items():
        if code == "shared_edge":
            edges.setdefault(tuple(indexes), []).append(values[0])
    sharing = {index for indexes in edges for index in indexes}
    if len(edges) > 1 and len(criteria) > 1 and sharing == set(range(len(criteria))):
        # Criteria of different weights share different edges: one sentence says it for all of them.
        notes.append(_("Neighbouring levels share their edges: an edge value belongs to the higher level."))
    else:
        notes += [_edges_note(criteria, indexes, sorted(values)) for indexes, values in edges.items()]
    notes += [
        _range_note(criteria, indexes, code, *values)
        for (code, values), indexes in found.items()
        if code != "shared_edge"
    ]
    return notes


def _rubric_context(user, rubric):
    """The rubric as a table of criteria × levels, with its maximum, its notes and its holistic bands."""
    criteria = list(rubric.criteria.prefetch_related("levels"))
    levels = [list(criterion.levels.all()) for criterion in criteria]
    shape = [[(level.title, level.min_percent, level.max_percent) for level in row] for row in levels]
    width = max((len(row) for row in levels), default=0)
    return {
        "rubric": rubric,
        # One header of level titles when every criterion has the same levels (as the course document's).
        "header_levels": levels[0] if criteria and all(row == shape[0] for row in shape) else None,
        "rows": [
            (criterion, row + [None] * (width - len(row)), scoring.criterion_maximum(row))
            for criterion, row in zip(criteria, levels, strict=True)
        ],
        "width": width,
        "maximum": scoring.rubric_maximum(levels),
        "notes": _rubric_notes(criteria),
        "bands": list(rubric.holistic_scale.bands.all()) if rubric.holistic_scale_id else [],
        "is_graded": services.rubric_is_graded(rubric),
        "can_edit": can_edit_rubric(user, rubric),
        "used_by": _used_by(user, rubric),
    }


def _used_by(user, rubric):
    """The tasks of the reader's department that grade with the rubric, each with its course's instructors' names:
    the people whose students an edit would reach. A shared rubric lists only the reader's department's tasks."""
    tasks = (
        Task.objects.filter(rubric=rubric)
        .select_related("course")
        .prefetch_related("course__instructors")
        .order_by("course__academic_year", "course__code", "position", "pk")
    )
    if not user.is_superuser:
        tasks = tasks.filter(course__department_id=user.department_id)
    return [
        (
            task,
            ", ".join(sorted((person.display_name for person in task.course.instructors.all()), key=kazakh_sort_key)),
        )
        for task in tasks
    ]


def _editor(request, rubric, *, creating):
    editor = RubricEditor(rubric=rubric, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if editor.is_valid():
            try:
                services.rubric_save(
                    rubric=rubric,
                    criteria=editor.cleaned_criteria(),
                    seen_updated_at=editor.form.cleaned_data["seen_updated_at"],
                )
            except ValidationError as error:
                report_errors(request, error)
            else:
                messages.success(request, _("The rubric “%(title)s” was saved.") % {"title": rubric.display_title})
                return redirect("grading:rubric_detail", rubric.pk)
        else:
            messages.error(request, _("The rubric was not saved: correct what is marked below."))
    blank_criterion, blank_levels = editor.blank_criterion()
    context = {
        "editor": editor,
        "rubric": rubric,
        "creating": creating,
        "blank_criterion": blank_criterion,
        "blank_levels": blank_levels,
        "blank_level": editor.blank_level(),
    }
    return render(request, "grading/rubrics/edit.html", context)


# rubrics/ ------------------------------------------------------------------------------------


@require_GET
@role_required(*STAFF)
def rubric_list(request):
    user = request.user
    rubrics = (
        Rubric.objects.usable_by(user).select_related("department", "created_by").prefetch_related("criteria__levels")
    )
    rows = [
        {
            "rubric": rubric,
            "criteria": len(rubric.criteria.all()),
            "maximum": scoring.rubric_maximum([list(criterion.levels.all()) for criterion in rubric.criteria.all()]),
            "can_edit": can_edit_rubric(user, rubric),
        }
        for rubric in rubrics
    ]
    # The department's own rubrics first, then the shared ones, then the examples shipped with the portal, each
    # group in Kazakh alphabetical order.
    rows.sort(
        key=lambda row: (
            row["rubric"].department_id is None,
            row["rubric"].is_example,
            kazakh_sort_key(row["rubric"].display_title),
        )
    )
    return render(request, "grading/rubrics/list.html", {"rows": rows})


@require_GET
@role_required(*STAFF)
def rubric_detail(request, pk):
    rubric = rubric_for_user(request.user, pk)
    return render(request, "grading/rubrics/detail.html", _rubric_context(request.user, rubric))


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def rubric_create(request):
    rubric = Rubric(department=_own_department(request.user), created_by=request.user)
    return _editor(request, rubric, creating=True)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def rubric_edit(request, pk):
    rubric = rubric_for_editor(request.user, pk)
    if services.rubric_is_graded(rubric):
        messages.warning(
            request,
            _(
                "Grades were given with this rubric, so its criteria and levels cannot change: that would change "
                "grades already given. Make a copy and change the copy."
            ),
        )
        return render(request, "grading/rubrics/read_only.html", _rubric_context(request.user, rubric))
    return _editor(request, rubric, creating=False)


@require_POST
@role_required(*STAFF)
def rubric_copy(request, pk):
    rubric = rubric_for_user(request.user, pk)
    copy = services.rubric_copy(rubric=rubric, department=_own_department(request.user), user=request.user)
    messages.success(
        request,
        _("A copy of “%(title)s” was made for your department. Change it here; the original stays as it was.")
        % {"title": rubric.display_title},
    )
    return redirect("grading:rubric_edit", copy.pk)


# courses/<course>/tasks/<task>/rubric/ -------------------------------------------------------


@require_POST
@role_required(Role.INSTRUCTOR)
def task_rubric(request, course_pk, pk):
    task = task_for_grader(request.user, course_pk, pk)
    form = TaskRubricForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of the rubrics in the list."))
        return redirect("grading:queue", task.course_id, task.pk)
    previous, rubric = task.rubric_id, form.cleaned_data["rubric"]
    services.task_rubric_set(task=task, rubric=rubric, by=request.user)
    if rubric is None:
        messages.success(
            request, _("%(task)s has no rubric now: its points are entered directly.") % {"task": task.label}
        )
    else:
        messages.success(
            request,
            _("“%(rubric)s” is now the rubric of %(task)s.") % {"rubric": rubric.display_title, "task": task.label},
        )
    if previous != task.rubric_id and Grade.objects.filter(submission__task=task).exists():
        messages.info(request, _("Grades already given keep the rubric they were given with."))
    return redirect("grading:queue", task.course_id, task.pk)
