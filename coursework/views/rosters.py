"""The department admin's roster pages: a course's roster and its imports, the template, a preview, applying it.

Only the admin of the course's department (or a superuser) reaches them: the course's instructors get 403, anyone
outside the department 404.
"""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.i18n import kazakh_sort_key
from accounts.models import Language
from config.messages import report_errors
from config.responses import private_download
from coursework.access import course_for_reviewer
from coursework.forms.rosters import XLSX_CONTENT_TYPE, RosterUploadForm, roster_template_bytes
from coursework.models import Enrollment, RosterImport
from coursework.services import rosters as roster_services
from coursework.services.rosters import CHANGES, Outcome, outcome_counts, reason_text

PAST_IMPORTS = 10
PREVIEW_PAGE = 500  # rows of a preview on one page, errors first
OUTCOME_ORDER = {outcome: index for index, outcome in enumerate(Outcome.values)}
OUTCOME_STYLE = {
    Outcome.ERROR: "danger",
    Outcome.NEW: "success",
    Outcome.ENROL: "primary",
    Outcome.GROUP: "warning",
    Outcome.ENROLLED: "secondary",
}


def _roster_context(course, form):
    """The roster by academic group (groups and names in Kazakh alphabetical order), and the latest imports."""
    enrollments = sorted(
        Enrollment.objects.filter(course=course).select_related("student"),
        key=lambda item: (
            kazakh_sort_key(item.academic_group),
            kazakh_sort_key(item.student.full_name or item.student.username),
        ),
    )
    groups = {}
    for enrollment in enrollments:
        groups.setdefault(enrollment.academic_group, []).append(enrollment.student)
    imports = RosterImport.objects.filter(course=course).defer("rows").select_related("uploaded_by", "applied_by")
    return {
        "course": course,
        "form": form,
        "groups": list(groups.items()),
        "student_count": len(enrollments),
        "imports": imports[:PAST_IMPORTS],
    }


def _preview_page(rows, number):
    """One page of a plan as the preview lists it: errors first, then by outcome, each in file order."""
    ordered = sorted(rows, key=lambda row: (OUTCOME_ORDER[row["outcome"]], row["line"]))
    page = Paginator(ordered, PREVIEW_PAGE).get_page(number)
    languages = dict(Language.choices)
    page.object_list = [
        {
            **row,
            "label": Outcome(row["outcome"]).label,
            "style": OUTCOME_STYLE[row["outcome"]],
            "reasons": [reason_text(reason) for reason in row["errors"]],
            "language_name": languages.get(row["language"], row["language"]),
        }
        for row in page.object_list
    ]
    return page


# courses/<course>/roster/ ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def roster(request, course_pk):
    """The course's roster with the upload form; an upload that can be read becomes an import to preview."""
    course = course_for_reviewer(request.user, course_pk)
    form = RosterUploadForm()
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            roster_import = roster_services.roster_import_create(
                course=course,
                file_name=PurePath(form.cleaned_data["file"].name).name,
                inputs=form.cleaned_data["rows"],
                uploaded_by=request.user,
            )
            return redirect("coursework:roster_import", course.pk, roster_import.pk)
    return render(request, "coursework/rosters/roster.html", _roster_context(course, form))


@require_GET
@login_required
def roster_template(request, course_pk):
    """The blank roster file (.xlsx) to fill in."""
    course_for_reviewer(request.user, course_pk)
    response = HttpResponse(roster_template_bytes(), content_type=XLSX_CONTENT_TYPE)
    return private_download(response, filename="roster-template.xlsx")


@require_GET
@login_required
def roster_import(request, course_pk, pk):
    """The preview of an import: what applying it does to each row, errors first; Apply while it can be applied."""
    course = course_for_reviewer(request.user, course_pk)
    roster_import = get_object_or_404(
        RosterImport.objects.select_related("uploaded_by", "applied_by"), course=course, pk=pk
    )
    counts = outcome_counts(roster_import.rows)
    changes = sum(counts[outcome] for outcome in CHANGES)
    context = {
        "course": course,
        "roster_import": roster_import,
        "page": _preview_page(roster_import.rows, request.GET.get("page")),
        "counts": [(Outcome(outcome).label, OUTCOME_STYLE[outcome], count) for outcome, count in counts.items()],
        "error_count": counts[Outcome.ERROR],
        "change_count": changes,
        "can_apply": roster_import.applied_at is None and not counts[Outcome.ERROR] and changes > 0,
    }
    return render(request, "coursework/rosters/roster_import.html", context)


@require_POST
@login_required
def roster_import_apply(request, course_pk, pk):
    """Apply an import in one transaction; refused while a row has an error or once it has been applied."""
    course = course_for_reviewer(request.user, course_pk)
    roster_import = get_object_or_404(RosterImport.objects.defer("rows"), course=course, pk=pk)
    try:
        counts = roster_services.roster_import_apply(roster_import=roster_import, applied_by=request.user)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("coursework:roster_import", course.pk, roster_import.pk)
    messages.success(
        request,
        _(
            "The roster was updated. New accounts: %(new)s; enrolled with an existing account: %(enrol)s; moved to "
            "another group: %(group)s. Each new student gets an e-mail with a link to set a password."
        )
        % counts,
    )
    return redirect("coursework:roster", course.pk)


@require_POST
@login_required
def roster_link_send(request, course_pk, student_pk):
    """Send a student of the roster who has no password yet a new link to set one."""
    course = course_for_reviewer(request.user, course_pk)
    enrollment = get_object_or_404(Enrollment.objects.select_related("student"), course=course, student_id=student_pk)
    try:
        roster_services.set_password_link_resend(course=course, student=enrollment.student)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(
            request, _("A new link to set a password was sent to %(email)s.") % {"email": enrollment.student.email}
        )
    return redirect("coursework:roster", course.pk)
