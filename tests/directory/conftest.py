"""Hand-ins of service repositories for the directory's tests, written as ``draft_submit`` writes them: a new
submitted version that becomes the latest, its valid rows, and ``version_submitted`` sent inside the transaction.

The rows are made here rather than through the repository's own check, so these tests read only the directory.
"""

import datetime as dt
import itertools

import pytest
from django.db import transaction
from django.utils import timezone

from portfolio.models import RepositoryRow, Submission, Version
from portfolio.signals import version_submitted
from tests.conftest import make_user

HANDED_IN = timezone.make_aware(dt.datetime(2025, 9, 20, 12, 0))
_moments = itertools.count()


def row(organisation="«Ақ жүрек» қоры", city="Алматы", category="domestic_violence", **fields):
    """The fields of one valid repository row; anything not given is a plausible value."""
    return {
        "organisation": organisation,
        "organisation_type": "charity",
        "client_category": category,
        "services": "Уақытша баспана, психологиялық көмек",
        "region": "almaty_city",
        "city": city,
        "address": "Абай даңғылы, 10",
        "phone": "+7 727 300 00 00",
        "email": "info@akzhurek.kz",
        "website": "akzhurek.kz",
        "eligibility": "Зорлық-зомбылық көрген әйелдер мен балалар",
        "cost": "free",
        "hours": "Тәулік бойы",
        "source": "https://akzhurek.kz",
        "checked_on": dt.date(2025, 9, 15),
        **fields,
    }


@transaction.atomic
def hand_in_rows(task, student, rows, moment=None):
    """Hand in a new version of ``student``'s repository for ``task`` holding ``rows`` (dicts from ``row``)."""
    submission, _created = Submission.objects.get_or_create(task=task, student=student)
    replaced = submission.versions.filter(is_latest=True).first()
    submission.versions.filter(is_latest=True).update(is_latest=False)
    version = Version.objects.create(
        submission=submission,
        number=submission.versions.count() + 1,
        state=Version.State.SUBMITTED,
        submitted_at=moment or HANDED_IN + dt.timedelta(minutes=next(_moments)),
        statement_accepted=True,
        is_latest=True,
    )
    RepositoryRow.objects.bulk_create(
        RepositoryRow(version=version, line=line, **fields) for line, fields in enumerate(rows, start=2)
    )
    version_submitted.send(sender=Version, version=version, replaced=replaced)
    return version


def students(cast, count, prefix="s"):
    """``count`` more students of the cast's department."""
    return [make_user(f"{prefix}{number}", "student", cast.department) for number in range(count)]


@pytest.fixture
def repository(cast):
    """СӨЖ 1 of the cast's course: the service repository."""
    return cast.tasks["СӨЖ 1"]
