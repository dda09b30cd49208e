"""The service repository's template, downloaded from the task page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from config.responses import private_download
from coursework.access import task_for_user
from coursework.models import Deliverable
from portfolio.repository.template import XLSX_CONTENT_TYPE, repository_template_bytes


@require_GET
@login_required
def repository_template(request, course_pk, pk):
    """The blank repository file (.xlsx) of a service repository task, for anyone who may see the task."""
    task = task_for_user(request.user, course_pk, pk)
    if task.deliverable != Deliverable.SERVICE_REPOSITORY:
        raise Http404
    response = HttpResponse(repository_template_bytes(), content_type=XLSX_CONTENT_TYPE)
    return private_download(response, filename="service-repository-template.xlsx")
