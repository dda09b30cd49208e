"""Log lines are logfmt (config/logs.py): one line per event, whatever its message or traceback holds, with the
level, the logger and the message first."""

import io
import logging

import pytest
from django.test import Client

from config.logs import LogfmtFormatter
from tests.production.logfmt import parse


def formatted(logger_name, emit):
    """What ``emit(logger)`` writes through a handler with the portal's formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LogfmtFormatter())
    logger = logging.getLogger(logger_name)
    logger.addHandler(handler)
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_message_with_spaces_quotes_and_line_breaks_stays_on_one_line():
    text = formatted("portal.test", lambda logger: logger.warning('he said "no"\nthen left', extra={"who": "a b"}))
    [line] = text.splitlines()
    fields = parse(line)
    assert list(fields)[:4] == ["time", "level", "logger", "message"]
    assert fields["level"] == "warning"
    assert fields["logger"] == "portal.test"
    assert fields["message"] == 'he said "no"\nthen left'
    assert fields["who"] == "a b"


def test_a_value_with_an_equals_sign_or_a_backslash_reads_back_the_same():
    text = formatted("portal.test", lambda logger: logger.warning("x", extra={"path": "/a/?b=1", "file": "C:\\x"}))
    fields = parse(text.strip())
    assert (fields["path"], fields["file"]) == ("/a/?b=1", "C:\\x")


@pytest.mark.django_db
@pytest.mark.urls("tests.production.urls")
def test_a_request_that_fails_is_logged_as_one_line_with_its_traceback():
    client = Client(raise_request_exception=False)
    text = formatted("django.request", lambda _logger: client.get("/refused/"))
    [line] = text.splitlines()
    fields = parse(line)
    assert (fields["level"], fields["logger"]) == ("error", "django.request")
    assert fields["message"] == "Internal Server Error: /refused/"
    assert fields["status_code"] == "500"
    assert fields["traceback"].startswith("Traceback (most recent call last):\n")
    assert "OperationalError" in fields["traceback"]
