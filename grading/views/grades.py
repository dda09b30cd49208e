from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coursework.access import task_for_grader
from coursework.models import Enrollment
from grading import scoring
from grading.forms.grades import GradeForm
from grading.models import Grade
from grading.selectors.gradebook import active_lock
from grading.selectors.grades import grade_history, grading_work, outcome_scales
from grading.selectors.queue import queue_rows
from grading.services import grades as services
from portfolio.access import submission_for_grader
from portfolio.models import Version
from portfolio.selectors import file_preview, selected_file, sort_queue


@require_http_methods(["GET", "POST"])
@login_required
def grade_page(request, pk):
    """The work on one side, the rubric form on the other; saving keeps a draft, or saves and releases."""
    submission = submission_for_grader(request.user, pk)
    work = grading_work(submission)
    if work.version is None:
        messages.info(request, _("Nothing has been handed in for this task yet."))
        return redirect("grading:queue", submission.task.course_id, submission.task_id)
    form_kwargs = {"criteria": work.criteria, "max_points": submission.task.max_points}
    form = GradeForm(request.POST or None, initial=work.initial(), **form_kwargs)
    stale = None
    if form.is_bound and form.is_valid():
        try:
            grade = services.grade_save(version=work.version, grader=request.user, **form.grade_values())
        except services.StaleGrade as error:
            # Show the other grader's values and let this grader save again over the current version.
            stale, work.grade = error.current, Grade.objects.filter(version=work.version).first()
            lock_version = work.grade.lock_version if work.grade else 0
            form = GradeForm({**request.POST.dict(), "lock_version": lock_version}, **form_kwargs)
            form.is_valid()
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if request.POST.get("action") == "release":
                services.grade_release(grade=grade, by=request.user)
                messages.success(request, _("The grade was saved and released to the student."))
            else:
                messages.success(request, _("The grade was saved as a draft. Only staff can see it."))
            return redirect("grading:grade", submission.pk)
    return render(request, "grading/grade.html", _grade_page_context(request, submission, work, form, stale))


def _grade_page_context(request, submission, work, form, stale):
    task = submission.task
    selected = selected_file([work.version], request.GET.get("file"))
    previous_submission, next_submission = _neighbours(task, submission)
    bands, letters = outcome_scales(task.rubric, task.course.department)
    levels = [list(criterion.levels.all()) for criterion in work.criteria]
    rubric_maximum = scoring.rubric_maximum(levels) if work.criteria else None
    return {
        "course": task.course,
        "task": task,
        "submission": submission,
        "version": work.version,
        "versions_count": submission.versions.filter(state=Version.State.SUBMITTED).count(),
        "enrollment": Enrollment.objects.filter(course_id=task.course_id, student=submission.student).first(),
        "grade": work.grade,
        "previous": work.previous,
        "form": form,
        "criteria_rows": form.criterion_rows(),
        "rubric": task.rubric,
        "rubric_maximum": rubric_maximum,
        "rubric_note": _rubric_note(levels),
        "selected": selected,
        "preview": file_preview(selected),
        "history": grade_history(submission),
        "stale": stale,
        "lock": active_lock(task.course),
        "previous_submission": previous_submission,
        "next_submission": next_submission,
        "live_data": _live_data(task, work.criteria, rubric_maximum, bands, letters),
    }


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
            {"min": str(b.min_percent), "max": str(b.max_percent), "label": b.label, "title": b.display_title}
            for b in bands
        ],
        "letters": [{"min": str(x.min_percent), "letter": x.letter, "gpa": str(x.gpa)} for x in letters],
        "originalityZeroBelow": str(services.ORIGINALITY_ZERO_BELOW),
        "decimalSeparator": get_format("DECIMAL_SEPARATOR"),
    }


@require_POST
@login_required
def grade_release(request, pk):
    grade = get_object_or_404(Grade.objects.select_related("submission"), pk=pk)
    submission_for_grader(request.user, grade.submission_id)
    services.grade_release(grade=grade, by=request.user)
    messages.success(request, _("The grade was released to the student."))
    return redirect("grading:grade", grade.submission_id)


@require_POST
@login_required
def task_release_all(request, course_pk, pk):
    task = task_for_grader(request.user, course_pk, pk)
    count = services.grades_release_for_task(task=task, by=request.user)
    messages.success(request, _("Grades released: %(count)d.") % {"count": count})
    return redirect("grading:queue", task.course_id, task.pk)


def _rubric_note(levels):
    """What the grader should know about how the rubric's numbers are used, or None when nothing odd."""
    problems = scoring.rubric_inconsistencies(levels)
    if not problems:
        return None
    codes = {code for code, _detail in problems}
    maximum = next((detail for code, detail in problems if code == "maximum"), None)
    return {"maximum": maximum, "shared_edges": "shared_edge" in codes, "gaps": bool(codes & {"gap", "overlap"})}


def _neighbours(task, submission):
    """The previous and next handed-in submissions in the queue's default (alphabetical) order."""
    rows = [row for row in sort_queue(queue_rows(task=task), "name") if row.latest_submission_id]
    ids = [row.latest_submission_id for row in rows]
    if submission.pk not in ids:
        return None, None
    index = ids.index(submission.pk)
    previous = ids[index - 1] if index > 0 else None
    following = ids[index + 1] if index + 1 < len(ids) else None
    return previous, following
