"""Input the portal cannot use, dealt with once for every page before any view sees it.

PostgreSQL stores no NUL character in text: any view that passed one to the database would fail with a 500 (on
SQLite it would be stored, invisible). And Django refuses some bodies outright (a file's name longer than its parser
reads, too many fields or files, too much text) with a bare 400 page.
"""

from importlib import import_module

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

NUL = "\x00"
_UNREADABLE = (BadRequest, MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def _addressed_texts(request):
    """What a person never types: the path, the query's names and values, the form's and the files' field names,
    the headers."""
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    yield from request.POST
    yield from request.FILES
    yield from (value for key, value in request.META.items() if key.startswith("HTTP_") and isinstance(value, str))


def _without_nul(data):
    """``data`` (a form's QueryDict) with NUL characters taken out of its values; itself when it holds none."""
    if not any(NUL in value for _key, values in data.lists() for value in values):
        return data
    cleaned = data.copy()
    for key, values in data.lists():
        cleaned.setlist(key, [value.replace(NUL, "") for value in values])
    cleaned._mutable = False
    return cleaned


def _forget_forged_cookies(request):
    """A browser never sends a cookie holding a NUL; one forged so would make the session's lookup fail. Such a
    cookie is ignored, as if it had not been sent (the session one included: it signs no one in, and the session
    middleware then removes it from the browser)."""
    forged = {name for name, value in request.COOKIES.items() if NUL in name or NUL in value}
    if not forged:
        return
    request.COOKIES = {name: value for name, value in request.COOKIES.items() if name not in forged}
    if settings.SESSION_COOKIE_NAME in forged:
        request.session = import_module(settings.SESSION_ENGINE).SessionStore()


def _unreadable_body(error):
    """What to say of a form Django could not read (it raised ``error`` while parsing the body)."""
    if isinstance(error, RequestDataTooBig):
        limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return _("The form sent more than %(limit)s of text; nothing was saved.") % {"limit": limit}
    if isinstance(error, TooManyFilesSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        return _("The form sent more than %(count)s files at once; nothing was saved.") % {"count": count}
    if isinstance(error, TooManyFieldsSent):
        count = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        return _("The form sent more than %(count)s fields; nothing was saved.") % {"count": count}
    if isinstance(error, BadRequest):  # a form in another encoding than UTF-8: no browser sends one
        return _("The form could not be read. Reload the page and send it again.")
    # Django reads at most 1,024 bytes of a part's headers, where a file's name is: a longer name (about 900 Latin
    # letters, half as many Cyrillic ones) makes the whole upload unreadable.
    return _(
        "The upload could not be read, most likely because a file's name is too long. Rename the file (a name "
        "may have up to 150 characters) and upload it again; nothing was saved."
    )


class UnusableInputMiddleware:
    """NUL characters and bodies Django cannot read, answered before any view.

    Rules: a NUL in the address, in a query's or a form's names, or in a header, no person typed: the request is
    refused with a page saying why (400). A NUL in a form's value may come with text pasted from a damaged document;
    it is invisible, so it is dropped and the rest is kept (as the editors of built work always did). A forged cookie
    holding a NUL is ignored. A body Django cannot read is refused with a page saying why and what to do.

    Placed after the session, locale, authentication and messages middleware, so the page is in the person's
    language and shows them signed in, and before any middleware that reads the session for a view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _forget_forged_cookies(request)
        try:
            addressed_nul = any(NUL in text for text in _addressed_texts(request))
        except _UNREADABLE as error:
            return _refused(request, _unreadable_body(error))
        if addressed_nul:
            return _refused(request, _("The address or the form holds a NUL character, which cannot be stored."))
        request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _refused(request, problem):
    # The autosave script's header (its form is not read again: it may be the body that could not be read).
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"errors": [problem], "stale": False}, status=400)
    return render(request, "refused_input.html", {"problem": problem}, status=400)
