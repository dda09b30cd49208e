"""A database that cannot be reached is answered with the "unavailable" page (503, Retry-After), logged once without
a traceback; a database that answers with an error keeps the 500 page. Real errors from a real driver: a PostgreSQL
server that is not there, and a statement the test's own database refuses.

(The whole story, PostgreSQL stopped and started under a running gunicorn, is tests/production/test_gunicorn.py.)"""

import logging

import pytest
from django.db.utils import OperationalError
from django.test import Client

from config.outage import database_unreachable
from tests.production.urls import gone_database

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.production.urls")]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_a_postgresql_server_that_is_not_there_is_unreachable():
    with pytest.raises(OperationalError) as raised:
        gone_database().ensure_connection()
    assert database_unreachable(raised.value)


def test_errors_that_are_not_the_databases_are_not_an_outage():
    assert not database_unreachable(ValueError("not the database"))
    assert not database_unreachable(None)


def test_a_page_that_cannot_reach_the_database_gets_the_unavailable_page(client, caplog):
    client.cookies["portal_language"] = "en"
    with caplog.at_level(logging.INFO):
        response = client.get("/unreachable/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "The portal cannot reach its database, so what you sent may not have been saved." in page
    assert "Traceback" not in page
    [line] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert (line.name, line.levelname, line.path, line.method) == ("portal.outage", "WARNING", "/unreachable/", "GET")
    assert "Connection refused" in line.error
    assert line.exc_info is None


def test_the_page_is_in_kazakh_unless_another_language_was_chosen(client):
    response = client.get("/unreachable/")
    assert response.status_code == 503
    assert '<html lang="kk">' in response.content.decode()


def test_a_database_that_refuses_a_statement_keeps_the_500_page_and_its_log(client, caplog):
    response = client.get("/refused/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert [record.name for record in caplog.records if record.levelno >= logging.WARNING] == ["django.request"]
