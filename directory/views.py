"""The department's directory of social services: search, an entry, hiding and showing it, the Excel export.

Every signed-in member of a department searches its directory (``directory.access``); students never see a hidden
entry, staff see it marked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.responses import private_download
from directory import services
from directory.access import directory_department_id, entry_for_member, entry_for_staff, sees_hidden
from directory.documents import XLSX_CONTENT_TYPE, directory_filename, directory_workbook_bytes
from directory.forms import DirectorySearchForm
from directory.selectors import entries_found, entry_offers

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


# directory/<entry>/ --------------------------------------------------------------------------------------------


@require_GET
@login_required
def entry(request, pk):
    """One organisation: its contacts, what it offers each client category, its sources; hide or show it (staff)."""
    item = entry_for_member(request.user, pk)
    offers, sources = entry_offers(item)
    context = {"entry": item, "offers": offers, "sources": sources, "staff": sees_hidden(request.user)}
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
