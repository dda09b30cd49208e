from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.messages import report_errors
from coursework.access import task_for_grader
from coursework.selectors.slots import defence_note
from grading import scoring
from grading.forms.grades import GradeForm, ReleaseAllForm, ReleaseForm
from grading.models import Grade, Timeliness
from grading.selectors.gradebook import active_lock
from grading.selectors.grades import (
    HISTORY_SHOWN,
    grade_history,
    grades_to_release,
    grading_work,
    outcome_scales,
)
from grading.selectors.queue import handed_in_in_queue_order
from grading.services import grades as services
from grading.templatetags.grading_numbers import figure
from portfolio.access import submission_for_grader
from portfolio.selectors import file_preview, selected_file


@require_http_methods(["GET", "POST"])
@login_required
def grade_page(request, pk):
    """The work on one side, the rubric form on the other; saving keeps a draft, or saves and releases."""
    submission = submission_for_grader(request.user, pk)
    work = grading_work(submission)
    if work.version is None:
        messages.info(request, _("Nothing has been handed in for this task yet."))
        return redirect("grading:queue", submission.task.course_id, submission.task_id)
    bands, letters = outcome_scales(submission.task.rubric, submission.task.course.department)
    form_kwargs = {
        "criteria": work.criteria,
        "max_points": submission.task.max_points,
        "zero_below": scoring.originality_zero_below(bands),
    }
    form = GradeForm(request.POST or None, initial=work.initial(), **form_kwargs)
    stale = None
    if form.is_bound and form.is_valid():
        # The version is this submission's: the save takes its task, rubric, course and student as read above.
        work.version.submission = submission
        release = request.POST.get("action") == "release"
        try:
            with transaction.atomic():  # saved and released together, or neither
                grade = services.grade_save(
                    version=work.version, grader=request.user, bands=bands, **form.grade_values()
                )
                if release:
                    grade = services.grade_release(grade=grade, by=request.user, reason=form.cleaned_data["reason"])
        except services.StaleGrade as error:
            # Show the other grader's values and let this grader save again over the current version.
            stale, work.grade = error.current, Grade.objects.filter(version=work.version).first()
            lock_version = work.grade.lock_version if work.grade else 0
            form = GradeForm({**request.POST.dict(), "lock_version": lock_version}, **form_kwargs)
            form.is_valid()
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _saved_message(grade, released=release))
            return redirect("grading:grade", submission.pk)
    context = _grade_page_context(request, submission, work, form, stale, bands=bands, letters=letters)
    context["defence"] = defence_note(task=submission.task, student=submission.student)
    return render(request, "grading/grade.html", context)


def _saved_message(grade, *, released):
    """What is true after a save: whether the student sees these values, still sees older ones, or sees nothing."""
    if released:
        return _("The grade was saved and released to the student.")
    if not grade.is_released:
        return _("The grade was saved as a draft. Only staff can see it.")
    if grade.has_unreleased_changes:
        return _("The grade was saved. The student still sees the released grade until you release again.")
    return _("The grade was saved. It is the same as the released grade the student sees.")


def _as_counted(task, points, percent):
    """A grade as its task counts it: points ("15,2"), or a percentage ("85%") for a task without points."""
    if task.max_points is None:
        return "—" if percent is None else f"{figure(percent)}%"
    return figure(points)


def _release_state(grade, task):
    """For a released grade changed since: what the student sees and what the grader has saved."""
    if grade is None or not grade.has_unreleased_changes:
        return None
    return {
        "released": _as_counted(task, grade.released_points, grade.released_percent),
        "working": _as_counted(task, grade.points, grade.percent),
    }


def _grade_page_context(request, submission, work, form, stale, *, bands, letters):
    """``bands`` and ``letters``: the rubric's holistic bands and the department's letters (``outcome_scales``)."""
    task = submission.task
    selected = selected_file([work.version], request.GET.get("file"))
    previous_submission, next_submission, academic_group = _neighbours(task, submission)
    levels = [list(criterion.levels.all()) for criterion in work.criteria]
    rubric_maximum = scoring.rubric_maximum(levels) if work.criteria else None
    return {
        "course": task.course,
        "task": task,
        "submission": submission,
        "version": work.version,
        "academic_group": academic_group,
        "grade": work.grade,
        "release_state": _release_state(work.grade, task),
        "previous": work.previous,
        "form": form,
        "criteria_rows": form.criterion_rows(),
        "rubric": task.rubric,
        "rubric_maximum": rubric_maximum,
        "rubric_note": _rubric_note(levels),
        "selected": selected,
        "preview": file_preview(selected),
        **_history(request, submission),
        "stale": stale,
        "lock": active_lock(task.course),
        "previous_submission": previous_submission,
        "next_submission": next_submission,
        "live_data": {**_live_data(task, work.criteria, rubric_maximum, bands, letters), "late": work.version.is_late},
    }


# What the history shows of each change (grading/includes/grade_history.html), read without the rest of its grade,
# version and grader (the version's content and the grade's released values are large).
HISTORY_FIELDS = (
    "action",
    "changed_at",
    "before",
    "after",
    "grade__version__number",
    *(f"changed_by__{name}" for name in ("username", "last_name", "first_name", "middle_name")),
)


def _history(request, submission):
    """The grade's latest changes, or all of them when asked (``?history=all``), and the address that asks."""
    changes = grade_history(submission).only(*HISTORY_FIELDS)
    if request.GET.get("history") == "all":
        return {"history": changes, "history_all_url": None}
    changes = list(changes[: HISTORY_SHOWN + 1])
    if len(changes) <= HISTORY_SHOWN:
        return {"history": changes, "history_all_url": None}
    query = request.GET.copy()
    query["history"] = "all"
    return {"history": changes[:HISTORY_SHOWN], "history_all_url": f"?{query.urlencode()}#history-heading"}


def _live_data(task, criteria, rubric_maximum, bands, letters):
    """What the page's script needs to show the total, points, band and letter as the grader types."""
    return {
        "maxPoints": str(task.max_points) if task.max_points is not None else None,
        "rubricMaximum": str(rubric_maximum) if rubric_maximum is not None else None,
        "levels": {
            str(level.pk): {"min": str(level.min_percent), "max": str(level.max_percent)}
            for criterion in criteria
            for level in criterion.levels.all()
        },
        "bands": [
            {
                "min": str(b.min_percent),
                "max": str(b.max_percent),
                "label": b.label,
                "title": b.display_title,
                "originalityMin": None if b.originality_min is None else str(b.originality_min),
                "onTime": b.timeliness == Timeliness.ON_TIME,
            }
            for b in bands
        ],
        "letters": [{"min": str(x.min_percent), "letter": x.letter, "gpa": str(x.gpa)} for x in letters],
        "originalityZeroBelow": str(scoring.originality_zero_below(bands)),
        "decimalSeparator": get_format("DECIMAL_SEPARATOR"),
    }


@require_POST
@login_required
def grade_release(request, pk):
    grade = get_object_or_404(Grade.objects.select_related("submission"), pk=pk)
    submission_for_grader(request.user, grade.submission_id)
    form = ReleaseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["reason"])
        services.grade_release(grade=grade, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The grade was released to the student."))
    return redirect("grading:grade", grade.submission_id)


@require_http_methods(["GET", "POST"])
@login_required
def task_release_all(request, course_pk, pk):
    """Releasing a task's grades: a page that says how many and asks to confirm (and, while locked, why)."""
    task = task_for_grader(request.user, course_pk, pk)
    lock = active_lock(task.course)
    form = ReleaseAllForm(request.POST if "expected" in request.POST else None, locked=lock is not None)
    if form.is_valid():
        try:
            count = services.grades_release_for_task(task=task, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("reason" if error.code == "reason_required" else None, error)
        else:
            messages.success(request, _("Grades released: %(count)d.") % {"count": count})
            return redirect("grading:queue", task.course_id, task.pk)
    counts = grades_to_release(task).aggregate(total=Count("pk"), drafts=Count("pk", filter=Q(state=Grade.State.DRAFT)))
    counts["changed"] = counts["total"] - counts["drafts"]
    context = {"course": task.course, "task": task, "form": form, "lock": lock, "counts": counts}
    return render(request, "grading/release_all.html", context)


def _rubric_note(levels):
    """What the grader should know about how the rubric's numbers are used, or None when nothing odd."""
    problems = scoring.rubric_inconsistencies(levels)
    if not problems:
        return None
    codes = {code for code, _detail in problems}
    maximum = next((detail for code, detail in problems if code == "maximum"), None)
    return {"maximum": maximum, "shared_edges": "shared_edge" in codes, "gaps": bool(codes & {"gap", "overlap"})}


def _neighbours(task, submission):
    """The previous and next handed-in submissions in the queue's default (alphabetical) order, and the student's
    academic group (None when they are not enrolled)."""
    students = handed_in_in_queue_order(task)
    ids = [student.submission_id for student in students]
    if submission.pk not in ids:
        return None, None, None
    index = ids.index(submission.pk)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following, students[index].academic_group
