"""How the workflows of handing in (``portfolio.services``) keep out of each other's way.

Every workflow that changes a draft or hands one in locks the student's submission of the task, then its draft, in
this one order, so two of them for one student and task run one after the other and never wait on each other in a
circle. Work built in the portal locks its working copy before either (``working_copy_lock``). Both locks are FOR NO
KEY UPDATE, the lock an UPDATE takes: rows that only point at the submission or the version (a grade being saved)
are not held up by a hand-in, and a transaction that has written such a row can still take the lock.
"""

import functools
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError
from django.db.models import Q
from django.utils.translation import gettext as _

from portfolio.models import Submission, Version

logger = logging.getLogger(__name__)

# PostgreSQL's codes (SQLSTATE) for what a concurrent request causes: a unique row written first elsewhere, a deadlock
# it broke, a serialization failure and a lock not available in time.
_CONFLICTS = ("23505", "40P01", "40001", "55P03")
# SQLite says these instead: the same unique row written first, and another connection holding the write lock past
# its timeout.
_SQLITE_CONFLICTS = ("UNIQUE constraint failed", "database is locked")


def lock_draft(*, task, student):
    """The student's submission of ``task`` (created when missing), its draft or None and its latest version handed
    in or None, locked until the end of the transaction. Read the draft and its files only after this: what another
    request did to them is then settled. The latest version is read in the same query, so it is locked too: a
    hand-in replaces it as the latest, and nothing else locks a version."""
    mine = Submission.objects.select_for_update(no_key=True).filter(task=task, student=student)
    submission = mine.first()
    if submission is None:
        # ON CONFLICT DO NOTHING: a request creating the same submission at the same moment makes this one wait for
        # it and then find its row, rather than fail on the unique constraint.
        Submission.objects.bulk_create([Submission(task=task, student=student)], ignore_conflicts=True)
        submission = mine.get()
    # At most one of each (the constraints version_one_draft and version_one_latest).
    versions = submission.versions.select_for_update(no_key=True).filter(
        Q(state=Version.State.DRAFT) | Q(is_latest=True)
    )
    draft = latest = None
    for version in versions:
        if version.is_draft:
            draft = version
        else:
            latest = version
    return submission, draft, latest


def conflicts_refused(service):
    """Answer a clash with a concurrent request that the locks did not prevent (a deadlock the database broke, a
    lock not had in time, a unique row another request wrote first) with a ValidationError the page shows, never a
    server error. Nothing was saved: the whole workflow is one transaction.

    Only such clashes: any other error of the database (a check constraint broken, a column too long) is a fault of
    ours that trying again would not mend, so it is logged and raised as it is."""

    @functools.wraps(service)
    def run(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except (IntegrityError, OperationalError) as error:
            if not _is_conflict(error):
                logger.exception("%s failed on a database error that is not a clash of requests", service.__name__)
                raise
            raise ValidationError(
                _(
                    "Your work was being changed from another tab or device at the same moment, so nothing was saved. "
                    "Try again."
                ),
                code="busy",
            ) from error

    return run


def _is_conflict(error):
    cause = error.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    if code is not None:
        return code in _CONFLICTS
    return any(phrase in str(error) for phrase in _SQLITE_CONFLICTS)
