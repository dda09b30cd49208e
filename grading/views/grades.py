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
from grading.models import Grade, GradeChange, HolisticBand
from grading.selectors.gradebook import active_lock
from grading.selectors.grades import letters_for
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
    task = submission.task
    version = Version.objects.latest_submitted().filter(submission=submission).prefetch_related("files").first()
    if version is None:
        messages.info(request, _("Nothing has been handed in for this task yet."))
        return redirect("grading:queue", task.course_id, task.pk)
    rubric = task.rubric
    criteria = list(rubric.criteria.prefetch_related("levels")) if rubric else []
    grade = Grade.objects.filter(version=version).prefetch_related("scores").first()
    previous = (
        Grade.objects.filter(submission=submission)
        .exclude(version=version)
        .order_by("-version__number")
        .prefetch_related("scores")
        .first()
    )
    form_kwargs = {"criteria": criteria, "max_points": task.max_points}
    stale = None

    if request.method == "POST":
        form = GradeForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                grade = services.grade_save(
                    version=version,
                    grader=request.user,
                    expected_lock_version=data["lock_version"],
                    scores=form.scores() if criteria else (),
                    points=data.get("points"),
                    feedback=data["feedback"],
                    originality_percent=data["originality_percent"],
                    originality_checker=data["originality_checker"],
                    zero_confirmed=data["zero_confirmed"],
                    reason=data["reason"],
                )
            except services.StaleGrade as error:
                stale = error.current
                grade = Grade.objects.filter(version=version).first()
                form = GradeForm(
                    {**request.POST.dict(), "lock_version": grade.lock_version if grade else 0}, **form_kwargs
                )
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
    else:
        initial = GradeForm.initial_from(grade or previous)
        initial["lock_version"] = grade.lock_version if grade else 0
        form = GradeForm(initial=initial, **form_kwargs)

    selected = selected_file([version], request.GET.get("file"))
    preview = file_preview(selected)
    neighbours = _neighbours(task, submission)
    department = task.course.department
    bands = list(HolisticBand.objects.filter(scale=rubric.holistic_scale)) if rubric and rubric.holistic_scale else []
    letters = letters_for(department)
    context = {
        "course": task.course,
        "task": task,
        "submission": submission,
        "version": version,
        "versions_count": submission.versions.filter(state=Version.State.SUBMITTED).count(),
        "enrollment": Enrollment.objects.filter(course_id=task.course_id, student=submission.student).first(),
        "grade": grade,
        "previous": previous if grade is None else None,
        "form": form,
        "criteria_rows": form.criterion_rows(),
        "rubric": rubric,
        "rubric_maximum": scoring.rubric_maximum([list(c.levels.all()) for c in criteria]) if criteria else None,
        "rubric_note": _rubric_note(criteria),
        "selected": selected,
        "preview": preview,
        "history": GradeChange.objects.filter(grade__submission=submission)
        .select_related("changed_by", "grade__version")
        .order_by("-changed_at", "-pk"),
        "stale": stale,
        "lock": active_lock(task.course),
        "previous_submission": neighbours[0],
        "next_submission": neighbours[1],
        "live_data": {
            "maxPoints": str(task.max_points) if task.max_points is not None else None,
            "rubricMaximum": str(scoring.rubric_maximum([list(c.levels.all()) for c in criteria]))
            if criteria
            else None,
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
        },
    }
    return render(request, "grading/grade.html", context)


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


def _rubric_note(criteria):
    """What the grader should know about how the rubric's numbers are used, or None when nothing odd."""
    problems = scoring.rubric_inconsistencies([list(criterion.levels.all()) for criterion in criteria])
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
