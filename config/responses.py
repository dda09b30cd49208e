"""The headers every private download carries, written once."""

from django.utils.http import content_disposition_header


def private_download(response, *, filename=None):
    """Mark ``response`` as a private download: never sniffed, never cached; named ``filename`` when given.

    A ``FileResponse`` sets its own Content-Disposition (inline or attachment); other responses pass the name.
    """
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
