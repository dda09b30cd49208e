from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.i18n import kazakh_sort_key
from config.messages import report_errors
from coursework.access import course_for_instructor, course_for_reviewer, course_for_user, reviews, teaches
from coursework.models import Enrollment
from grading.models import ControlKind, ControlScore, CourseAssessment, LockedChange, SignOff
from grading.selectors.gradebook import active_lock, assessment_for, build_gradebook
from grading.services.gradebook import control_scores_save, gradebook_lock, gradebook_sign_off

PER_PAGE = 100


@login_required
def gradebook(request, course_pk):
    """Students × tasks with totals, letters and the credit roll-up; a student sees their own row only."""
    course = course_for_user(request.user, course_pk)
    is_student = request.user.is_student
    group = request.GET.get("group") or None
    sort = request.GET.get("sort") or "name"
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    book = build_gradebook(
        course,
        include_drafts=not is_student,
        group=group,
        student=request.user if is_student else None,
        sort=sort,
        page=page,
        per_page=PER_PAGE,
    )
    if not is_student:
        # One reverse() for the page, not one per cell.
        prefix = reverse("grading:grade", args=[0]).removesuffix("0/grade/")
        for row in book.rows:
            for cell in row.cells:
                if cell.submission_id:
                    cell.grade_url = f"{prefix}{cell.submission_id}/grade/"
    can_edit = teaches(request.user, course)
    can_review = reviews(request.user, course)
    context = {
        "course": course,
        "book": book,
        "group": group,
        "sort": sort,
        "is_student": is_student,
        "can_edit": can_edit,
        "can_review": can_review,
        "lock": active_lock(course),
        "sign_off": SignOff.objects.filter(course=course).select_related("signed_by").first(),
        "locked_changes": LockedChange.objects.filter(course=course).select_related("changed_by")[:20]
        if not is_student
        else [],
        "assessment_form": AssessmentForm(instance=book.assessment) if can_edit else None,
        "now": timezone.now(),
        "cell_titles": {
            "missing": _("Missing"),
            "ungraded": _("Handed in, not graded yet"),
            "draft": _("Draft grade: not released, not counted"),
            "late": _("Late"),
        },
    }
    return render(request, "grading/gradebook.html", context)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = CourseAssessment
        fields = [
            "uses_credit_formula",
            "first_half_last_week",
            "current_weight",
            "admission_threshold",
            "admission_weight",
            "exam_weight",
        ]


class LockForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Locked from"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Locked until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300)


@require_POST
@login_required
def assessment_update(request, course_pk):
    course = course_for_instructor(request.user, course_pk)
    form = AssessmentForm(request.POST, instance=assessment_for(course))
    if form.is_valid():
        form.save()
        messages.success(request, _("The grading formula was saved."))
    else:
        report_errors(request, form)
    return redirect("grading:gradebook", course.pk)


@require_http_methods(["GET", "POST"])
@login_required
def control_scores(request, course_pk):
    """Enter РК1, РК2 and exam scores for the whole roster (or one group) on one page."""
    course = course_for_instructor(request.user, course_pk)
    group = request.GET.get("group") or None
    enrollments = Enrollment.objects.filter(course=course).select_related("student")
    if group:
        enrollments = enrollments.filter(academic_group=group)
    enrollments = list(enrollments)
    kinds = [kind for kind, _label in ControlKind.choices]
    current = {
        (score.student_id, score.kind): score.score
        for score in ControlScore.objects.filter(course=course, student__in=[e.student for e in enrollments])
    }
    errors = {}
    if request.method == "POST":
        scores = {}
        for enrollment in enrollments:
            for kind in kinds:
                raw = request.POST.get(f"{kind}-{enrollment.student_id}", "").strip().replace(",", ".")
                if not raw:
                    scores[(enrollment.student_id, kind)] = None
                    continue
                try:
                    value = Decimal(raw)
                except InvalidOperation:
                    errors[(enrollment.student_id, kind)] = _("Enter a number from 0 to 100.")
                    continue
                if not Decimal(0) <= value <= 100:
                    errors[(enrollment.student_id, kind)] = _("Enter a number from 0 to 100.")
                    continue
                scores[(enrollment.student_id, kind)] = value
        if errors:
            messages.error(request, _("Some scores are not valid; nothing was saved. Check the marked cells."))
        else:
            try:
                count = control_scores_save(
                    course=course, by=request.user, scores=scores, reason=request.POST.get("reason", "")
                )
            except ValidationError as error:
                report_errors(request, error)
            else:
                messages.success(request, _("Scores saved: %(count)d changed.") % {"count": count})
                return redirect(request.get_full_path())
    rows = []
    for enrollment in sorted(
        enrollments, key=lambda e: (kazakh_sort_key(e.academic_group), kazakh_sort_key(e.student.display_name))
    ):
        cells = []
        for kind in kinds:
            key = (enrollment.student_id, kind)
            value = request.POST.get(f"{kind}-{enrollment.student_id}") if errors else current.get(key)
            cells.append((kind, value, errors.get(key)))
        rows.append((enrollment, cells))
    context = {
        "course": course,
        "rows": rows,
        "kinds": ControlKind.choices,
        "group": group,
        "groups": sorted(
            set(Enrollment.objects.filter(course=course).values_list("academic_group", flat=True)), key=kazakh_sort_key
        ),
        "lock": active_lock(course),
    }
    return render(request, "grading/control_scores.html", context)


@require_POST
@login_required
def lock_create(request, course_pk):
    course = course_for_reviewer(request.user, course_pk)
    form = LockForm(request.POST)
    if form.is_valid():
        try:
            gradebook_lock(course=course, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The course's results are locked."))
    else:
        report_errors(request, form)
    return redirect("grading:gradebook", course.pk)


@require_POST
@login_required
def sign_off(request, course_pk):
    course = course_for_reviewer(request.user, course_pk)
    try:
        gradebook_sign_off(course=course, by=request.user, note=request.POST.get("note", "")[:300])
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The gradebook is signed off."))
    return redirect("grading:gradebook", course.pk)
