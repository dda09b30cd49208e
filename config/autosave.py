"""The server's side of the autosave protocol ``static/js/autosave.js`` speaks, for every page that builds work in the
portal (the case plan, СӨЖ 4's analysis): which request is the script's, the revision the page started from, and
the JSON answers."""

from django.http import JsonResponse
from django.utils import timezone


def wants_json(request):
    """The page's script saving as the student types (a beacon sent on leaving the page cannot set a header)."""
    return request.headers.get("X-Requested-With") == "fetch" or "autosave" in request.POST


def sent_revision(values):
    """The revision the page started from, as its form says; None when it says nothing usable (no check then)."""
    text = values.get("revision", "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def refused_answer(error):
    """A refused save: 409 when another tab or device saved since the page opened (the script stops and offers a
    reload), 400 for input that cannot be kept (it waits for the next change)."""
    stale = getattr(error, "code", None) == "stale"  # a ValidationError of several messages has no code
    return JsonResponse({"errors": error.messages, "stale": stale}, status=409 if stale else 400)


def saved_answer(copy, **extra):
    """A save that went through: the working copy's new revision and the time, with what the page shows of it."""
    return JsonResponse(
        {"revision": copy.revision, "saved_at": timezone.localtime(copy.saved_at).strftime("%H:%M"), **extra}
    )
