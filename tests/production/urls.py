"""The portal's URLs (and its handler500) plus pages that fail on the database the way an outage or a busy database
does, for tests/production/test_outage.py."""

from django.db import connection
from django.db.utils import ConnectionHandler
from django.urls import path

from config import urls as portal
from tests.servers import free_port

handler500 = portal.handler500


def gone_database():
    """A connection to a PostgreSQL server that is not there (a port nothing listens on), as while it is down."""
    settings = {"ENGINE": "django.db.backends.postgresql", "HOST": "127.0.0.1", "PORT": free_port(), "NAME": "portal"}
    return ConnectionHandler({"default": settings})["default"]


def unreachable(request):
    gone_database().ensure_connection()


def refused(request):
    """A statement the database refuses (PostgreSQL cancels it at its time-out; SQLite has no such table): the
    database answered, so this is no outage."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL statement_timeout = 1")
            cursor.execute("SELECT pg_sleep(1)")
        else:
            cursor.execute("SELECT * FROM no_such_table")


urlpatterns = [
    path("unreachable/", unreachable),
    path("refused/", refused),
    *portal.urlpatterns,
]
