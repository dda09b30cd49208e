"""Private downloads: the headers every one carries, and a stored file's bytes streamed from whichever storage holds
them (a folder or a bucket), written once."""

from django.http import FileResponse
from django.utils.http import content_disposition_header

# What a download reads from storage and hands to the server at a time.
CHUNK_SIZE = 64 * 1024


def private_download(response, *, filename=None):
    """Mark ``response`` as a private download: never sniffed, never cached; named ``filename`` when given.

    A ``FileResponse`` sets its own Content-Disposition (inline or attachment); other responses pass the name.
    """
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(fieldfile, *, filename, content_type, inline=False):
    """The stored file of ``fieldfile`` as a private download named ``filename`` (or shown in the page when
    ``inline``), streamed in chunks. It checks no access: call it only after the view's check."""
    stream, length = _opened(fieldfile)
    response = FileResponse(stream, as_attachment=not inline, filename=filename, content_type=content_type)
    response.block_size = CHUNK_SIZE
    if length is not None:
        response["Content-Length"] = str(length)
    return private_download(response)


def open_stored(fieldfile):
    """The stored file of ``fieldfile``, open for reading in chunks."""
    return _opened(fieldfile)[0]


def _opened(fieldfile):
    """A stream of the file and its length when the stream cannot tell it (None for a file on disk). A bucket's
    file object (django-storages' S3File) would copy the whole object into memory or a temporary file before the
    first byte went out; the body of a GET is read as it arrives instead. The bucket stays private: the bytes pass
    through the portal, no address of the object is ever given out."""
    handle = fieldfile.storage.open(fieldfile.name, "rb")
    remote = getattr(handle, "obj", None)
    if remote is None:
        return handle, None
    handle.close()
    answer = remote.get()
    return answer["Body"], answer["ContentLength"]
