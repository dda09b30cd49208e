"""Placeholder while the exports are being written."""

from django.http import Http404


def _missing(request, *args, **kwargs):
    raise Http404


gradebook_xlsx = gradebook_pdf = student_record_pdf = _missing
