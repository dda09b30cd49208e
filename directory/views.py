"""The department's directory of social services: search, an entry, hiding and showing it, the Excel export.

Every signed-in member of a department searches its directory (``directory.access``); students never see a hidden
entry, staff see it marked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.responses import private_download
from coursework.access import task_for_student
from coursework.models import Course, Deliverable
from directory import services
from directory.access import directory_department_id, entry_for_member, entry_for_staff, sees_hidden
from directory.documents import XLSX_CONTENT_TYPE, directory_filename, directory_workbook_bytes
from directory.forms import DirectorySearchForm, InstitutionAddForm
from directory.models import Entry, InstitutionReport
from directory.selectors import entries_found, entry_offers
from portfolio.models import Submission, Version

PER_PAGE = 20


def _found(request):
    """The form read from the address, and the entries it finds in the person's department's directory."""
    department_id = directory_department_id(request.user)
    form = DirectorySearchForm(request.GET)
    search = form.search()
    entries = entries_found(department_id=department_id, include_hidden=sees_hidden(request.user), **search)
    return form, search, entries


# directory/ ----------------------------------------------------------------------------------------------------


@require_GET
@login_required
def index(request):
    """Search the department's directory by text and filters; twenty entries a page, the best matches first."""
    form, search, entries = _found(request)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "searched": any(search.values()),
        "query": query.urlencode(),
        "staff": sees_hidden(request.user),
    }
    return render(request, "directory/index.html", context)


@require_GET
@login_required
def export(request):
    """The entries the search finds, all of them, as an Excel workbook in the reader's language."""
    _form, _search, entries = _found(request)
    language = translation.get_language()
    content = directory_workbook_bytes(entries, language=language, include_hidden=sees_hidden(request.user))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    return private_download(response, filename=directory_filename(language=language))


def _reports_about(user, entry):
    """The institution reports about ``entry`` in the courses the person teaches or oversees, each with the link to
    the student's handed-in work for an instructor of its course."""
    handed_in = Submission.objects.filter(
        task=OuterRef("task"), student=OuterRef("student"), versions__state=Version.State.SUBMITTED
    ).values("pk")[:1]
    reports = list(
        InstitutionReport.objects.filter(entry=entry, task__course__in=Course.objects.staffed_by(user))
        .select_related("student", "task__course")
        .annotate(submission_id=Subquery(handed_in))
        .order_by("task__course__code", "task__label", "student__last_name", "student__first_name")
    )
    taught = Course.objects.all() if user.is_superuser else Course.objects.filter(instructors=user)
    taught_ids = set(taught.filter(pk__in={report.task.course_id for report in reports}).values_list("pk", flat=True))
    for report in reports:
        teaches = report.task.course_id in taught_ids and report.submission_id
        report.work_url = reverse("grading:grade", args=[report.submission_id]) if teaches else ""
    return reports


# directory/<entry>/ --------------------------------------------------------------------------------------------


@require_GET
@login_required
def entry(request, pk):
    """One organisation: its contacts, what it offers each client category, its sources; hide or show it (staff)."""
    item = entry_for_member(request.user, pk)
    offers, sources = entry_offers(item)
    staff = sees_hidden(request.user)
    reports = _reports_about(request.user, item) if staff else []
    context = {"entry": item, "offers": offers, "sources": sources, "staff": staff, "reports": reports}
    return render(request, "directory/entry.html", context)


@require_POST
@login_required
def entry_hide(request, pk):
    """Hide a wrong entry from students (instructors and department admins)."""
    item = entry_for_staff(request.user, pk)
    services.entry_hide(entry=item, hidden_by=request.user)
    messages.success(request, _("The entry is hidden from students."))
    return redirect("directory:entry", item.pk)


@require_POST
@login_required
def entry_show(request, pk):
    """Show a hidden entry to students again (instructors and department admins)."""
    item = entry_for_staff(request.user, pk)
    services.entry_show(entry=item)
    messages.success(request, _("Students see the entry again."))
    return redirect("directory:entry", item.pk)


# directory/institution/<course>/<task>/ ------------------------------------------------------------------------


def _institution_task(user, course_pk, pk):
    """A shown institution-report task of a course the student is enrolled in: 403 for staff, 404 otherwise."""
    task = task_for_student(user, course_pk, pk)
    if task.deliverable != Deliverable.INSTITUTION_REPORT:
        raise Http404
    return task


def _task_page(task):
    return redirect(reverse("grading:task_detail", args=[task.course_id, task.pk]) + "#institution")


@require_POST
@login_required
def institution_choose(request, course_pk, pk):
    """Choose a directory entry as the institution of the student's report (until the task's cut-off)."""
    task = _institution_task(request.user, course_pk, pk)
    entry_id = request.POST.get("entry", "")
    if not (entry_id.isascii() and entry_id.isdigit()):
        messages.error(request, _("Choose an organisation from the list."))
        return _task_page(task)
    item = get_object_or_404(Entry.objects.of_department(task.course.department_id).shown(), pk=entry_id)
    try:
        services.institution_choose(task=task, student=request.user, entry=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("«%(name)s» is now the institution of your report.") % {"name": item.name})
    return _task_page(task)


@require_http_methods(["GET", "POST"])
@login_required
def institution_add(request, course_pk, pk):
    """Add an organisation the directory lacks, checked as a repository row, and choose it for the report."""
    task = _institution_task(request.user, course_pk, pk)
    form = InstitutionAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.institution_add(task=task, student=request.user, values=form.cleaned_data)
        except ValidationError as error:
            if getattr(error, "code", None) == "closed":
                messages.error(request, " ".join(error.messages))
                return _task_page(task)
            form.add_error(None, error)
        else:
            name = report.entry.name
            messages.success(request, _("«%(name)s» is now the institution of your report.") % {"name": name})
            return _task_page(task)
    return render(request, "directory/institution_add.html", {"form": form, "task": task, "course": task.course})
