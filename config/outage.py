"""A database that cannot be reached (PostgreSQL stopped, restarting, or out of the network's reach) answered with a
page saying so, 503 and Retry-After, instead of the 500 page that says the portal broke.

The error can surface anywhere a request touches the database: in a view, in the middleware that reads the session to
know who is signed in, or while a session is saved on the way out. Django turns each into a call of ``handler500``
(config/urls.py) wherever it is raised, so that is where all of them are caught. A connection that broke stays
unused: Django drops it at the end of the request, and the next request checks its connection before use
(``CONN_HEALTH_CHECKS``), so the portal works again as soon as the database does, without a restart.
"""

import logging
import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 60
# PostgreSQL's codes for a connection refused or lost (class 08), and for a server shutting down, crashed, or
# still starting. A deadlock, a lock time-out or a cancelled statement are OperationalErrors too, but the database
# answered: those keep the 500 page (services catch the ones they expect).
_UNREACHABLE_CODES = ("08", "57P01", "57P02", "57P03")

logger = logging.getLogger("portal.outage")


def database_unreachable(error):
    """Whether ``error`` says the database could not be reached, rather than that it refused one statement."""
    if isinstance(error, InterfaceError):  # the connection it was using had already broken
        return True
    if not isinstance(error, OperationalError):
        return False
    # psycopg gives no code when it could not connect or the server vanished; SQLite's errors have no such attribute.
    code = getattr(error.__cause__, "pgcode", "")
    return code is None or code.startswith(_UNREACHABLE_CODES)


def server_error(request):
    """``handler500``: the unavailable page when the database could not be reached, Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if not database_unreachable(error):
        return defaults.server_error(request)
    # The middleware the answer passes on its way out asks who is signed in: it must not ask the database again.
    request.user = AnonymousUser()
    logger.warning(
        "the database cannot be reached",
        extra={"method": request.method, "path": request.path, "error": " ".join(str(error).split())},
    )
    response = HttpResponse(loader.render_to_string("unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Logged above, once and without a traceback: Django's request log skips a response so marked.
    response._has_been_logged = True
    return response
