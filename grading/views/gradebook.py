from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.i18n import kazakh_sort_key
from config.messages import report_errors
from coursework.access import course_for_instructor, course_for_reviewer, course_for_user, reviews, teaches
from coursework.models import Enrollment
from grading.forms.gradebook import AssessmentForm, ControlScoresForm, LockForm, SignOffForm, UnlockForm
from grading.models import ControlScore, GradebookLock, LockedChange
from grading.selectors.gradebook import active_lock, assessment_for, build_gradebook
from grading.selectors.rollup import LABELS, TITLES, control_labels
from grading.services.gradebook import control_scores_save, gradebook_lock, gradebook_sign_off, gradebook_unlock

PER_PAGE = 100
CELL_TITLES = {
    "missing": gettext_lazy("Missing"),
    "ungraded": gettext_lazy("Handed in, not graded yet"),
    "draft": gettext_lazy("Draft grade: not released, not counted"),
    "late": gettext_lazy("Late"),
}


@login_required
def gradebook(request, course_pk):
    """Students × tasks with totals, letters and the credit roll-up; a student sees their own row only."""
    course = course_for_user(request.user, course_pk)
    is_student = request.user.is_student
    group, sort, page = _gradebook_query(request.GET)
    book = build_gradebook(
        course,
        include_drafts=not is_student,
        group=group,
        student=request.user if is_student else None,
        sort=sort,
        page=page,
        per_page=PER_PAGE,
    )
    can_edit = teaches(request.user, course)
    if not is_student:
        _link_cells(book, "grading:grade" if can_edit else "grading:grade_review")
    now = timezone.now()
    locks = _locks(course, now)
    lock = next((each for each in locks if each.state == "active"), None)
    context = {
        "course": course,
        "book": book,
        "group": group,
        "sort": sort,
        "is_student": is_student,
        "can_edit": can_edit,
        "can_review": reviews(request.user, course),
        "lock": lock,
        "locks": [] if is_student else locks,
        "sign_off": book.sign_off,
        "signed_under_lock": bool(lock and book.sign_off and book.sign_off.lock_id == lock.pk),
        "locked_changes": [] if is_student else _recent_locked_changes(course),
        "assessment_form": AssessmentForm(instance=book.assessment) if can_edit else None,
        "now": now,
    }
    return render(request, "grading/gradebook.html", {**context, **_page_texts()})


LOCK_STATES = {
    "active": ("status-late", pgettext_lazy("lock state", "In force")),
    "planned": ("status-upcoming", pgettext_lazy("lock state", "Planned")),
    "ended": ("status-past", pgettext_lazy("lock state", "Ended")),
    "unlocked": ("status-past", pgettext_lazy("lock state", "Unlocked")),
}


def _locks(course, now):
    """The course's locks, newest first, each with its state now and whether it can still be unlocked."""
    locks = list(GradebookLock.objects.filter(course=course).select_related("locked_by", "unlocked_by"))
    for lock in locks:
        if lock.unlocked_at is not None:
            lock.state = "unlocked"
        elif lock.ends_at is not None and now >= lock.ends_at:
            lock.state = "ended"
        else:
            lock.state = "active" if lock.is_active(now) else "planned"
        lock.badge, lock.state_label = LOCK_STATES[lock.state]
        lock.can_unlock = lock.state in {"active", "planned"}
    return locks


def _page_texts():
    """The column labels and titles and the cells' marks, in the reader's language."""
    return {
        "labels": LABELS,
        "titles": TITLES,
        "cell_titles": {key: str(text) for key, text in CELL_TITLES.items()},
    }


def _gradebook_query(params):
    """The group, sort and page asked for; a page that is not a number is the first."""
    try:
        page = int(params.get("page", 1))
    except ValueError:
        page = 1
    return params.get("group") or None, params.get("sort") or "name", page


def _recent_locked_changes(course):
    return LockedChange.objects.filter(course=course).select_related("changed_by")[:20]


def _link_cells(book, url_name):
    """Each handed-in cell links to a page of its submission: the grading page for the course's instructors, the
    read-only review for the staff who do not grade it. One reverse() for the page, not one per cell."""
    prefix, suffix = reverse(url_name, args=[0]).split("/0/")
    for row in book.rows:
        for cell in row.cells:
            if cell.submission_id:
                cell.url = f"{prefix}/{cell.submission_id}/{suffix}"


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
    """Enter РК1, РК2 and exam scores for the whole roster (or one group) on one page. Each row carries the scores
    it was opened with: a row someone else changed meanwhile is not saved but shown again with their scores."""
    course = course_for_instructor(request.user, course_pk)
    group = request.GET.get("group") or None
    enrollments = _roster(course, group)
    form = ControlScoresForm(request.POST or None, enrollments=enrollments, current=_stored_scores(course, enrollments))
    if form.is_bound:
        saved = _save_control_scores(request, course, form) if form.is_valid() else None
        if form.errors:
            messages.error(request, _problem_of(form))
        elif saved and not saved.conflicts:
            return redirect(request.get_full_path())
        elif saved:  # the rows saved show what they hold now; the stale ones the other person's scores
            current = _stored_scores(course, enrollments)
            form = ControlScoresForm(enrollments=enrollments, current=current, conflicts=saved.conflicts)
    context = {
        "course": course,
        "form": form,
        "rows": form.rows(),
        "kinds": control_labels(),
        "labels": LABELS,
        "titles": TITLES,
        "group": group,
        "groups": Enrollment.objects.groups_of(course.pk),
        "lock": active_lock(course),
    }
    return render(request, "grading/control_scores.html", context)


def _problem_of(form):
    """What to say above an entry page not saved: where to look depends on which fields are marked."""
    if form.has_cell_errors():
        return _("Some scores are not valid; nothing was saved. Check the marked cells.")
    return _("Nothing was saved: see the message on the page.")


def _stored_scores(course, enrollments):
    """{(student id, kind): score} of the students on the page."""
    return {
        (score.student_id, score.kind): score.score
        for score in ControlScore.objects.filter(course=course, student__in=[e.student_id for e in enrollments])
    }


def _roster(course, group):
    """The course's (or one group's) students, by group and then by name in Kazakh alphabetical order."""
    enrollments = Enrollment.objects.filter(course=course).select_related("student")
    if group:
        enrollments = enrollments.filter(academic_group=group)
    return sorted(
        enrollments, key=lambda e: (kazakh_sort_key(e.academic_group), kazakh_sort_key(e.student.display_name))
    )


def _save_control_scores(request, course, form):
    """Save the page's scores and say what happened; None when the save was refused as a whole."""
    try:
        saved = control_scores_save(
            course=course,
            by=request.user,
            scores=form.scores(),
            opened=form.shown(),
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        report_errors(request, error)
        return None
    if saved.count or not saved.conflicts:
        messages.success(request, _("Scores saved: %(count)d changed.") % {"count": saved.count})
    if saved.conflicts:
        messages.warning(
            request,
            ngettext(
                "%(count)d student's scores were changed after you opened this page (by a colleague, or in another "
                "tab), so your changes in that row were not saved. The row now shows the scores saved since; yours "
                "are listed under the name. Enter them again if they should stand.",
                "%(count)d students' scores were changed after you opened this page (by a colleague, or in another "
                "tab), so your changes in those rows were not saved. The rows now show the scores saved since; yours "
                "are listed under the names. Enter them again if they should stand.",
                len(saved.conflicts),
            )
            % {"count": len(saved.conflicts)},
        )
    return saved


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
    form = SignOffForm(request.POST)
    if not form.is_valid():
        report_errors(request, form)
        return redirect("grading:gradebook", course.pk)
    try:
        gradebook_sign_off(course=course, by=request.user, note=form.cleaned_data["note"])
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("The gradebook is signed off."))
    return redirect("grading:gradebook", course.pk)


@require_POST
@login_required
def lock_unlock(request, course_pk, pk):
    """The department admin ends a lock early (or calls off a planned one), stating why."""
    course = course_for_reviewer(request.user, course_pk)
    lock = get_object_or_404(GradebookLock, course=course, pk=pk)
    form = UnlockForm(request.POST)
    if form.is_valid():
        try:
            gradebook_unlock(lock=lock, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("The lock was lifted. Changes no longer need a reason."))
    else:
        report_errors(request, form)
    return redirect("grading:gradebook", course.pk)
