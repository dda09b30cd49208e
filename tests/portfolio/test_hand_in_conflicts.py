"""Which database errors of a hand-in workflow the student is told are a clash with another tab (portfolio.locking's
``conflicts_refused``): a row another request wrote first is; a broken check constraint, a fault of ours that trying
again would not mend, is logged and raised as it is."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from portfolio.locking import conflicts_refused
from portfolio.models import Submission, Version

pytestmark = pytest.mark.django_db


@conflicts_refused
def write(make):
    with transaction.atomic():
        return make()


def test_a_row_another_request_wrote_first_is_refused_as_a_clash(cast, essay):
    Submission.objects.create(task=essay, student=cast.student)
    with pytest.raises(ValidationError) as error:
        write(lambda: Submission.objects.create(task=essay, student=cast.student))
    assert error.value.code == "busy"
    assert Submission.objects.count() == 1


def test_a_broken_check_constraint_is_logged_and_raised_not_called_a_clash(cast, essay, caplog):
    submission = Submission.objects.create(task=essay, student=cast.student)
    # A submitted version without its hand-in moment, which no workflow may write.
    with caplog.at_level(logging.ERROR, logger="portfolio.locking"), pytest.raises(IntegrityError):
        write(lambda: Version.objects.create(submission=submission, number=1, state=Version.State.SUBMITTED))
    assert not Version.objects.exists()
    assert [record.levelname for record in caplog.records if record.name == "portfolio.locking"] == ["ERROR"]
    assert "not a clash of requests" in caplog.text
