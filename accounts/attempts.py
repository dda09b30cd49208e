"""How django-axes counts failed sign-ins here: by account, and by address with a limit of its own."""

from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


class SignInAttempts(AxesDatabaseHandler):
    """django-axes' database handler, with a higher limit for an address than for an account.

    A university's computer lab signs in through one address: twenty-five students each mistyping once in a lesson
    must not lock the whole room out, while one person guessing across many accounts from one address still is.
    Axes compares one number with ``AXES_FAILURE_LIMIT``; the address's failures are given on the account's scale, so
    the address is locked when its own count reaches ``LOGIN_ADDRESS_FAILURE_LIMIT``.
    """

    def get_failures(self, request, credentials=None):
        # One queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order: the account's, then the address's.
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        on_account_scale = by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, on_account_scale)


def lock_ends_at(*, username, address, now=None):
    """When signing in with ``username`` from ``address`` is no longer locked, if no one fails again meanwhile, to
    the minute (rounded up, so that a person who comes back at the time shown is let in).

    A side (the account, the address) counts the failures of its records whose last failure is younger than the
    cool-off; attempts during a lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT). So a locked
    side stays locked until enough of its newest records age out: the record at which its failures, counted from the
    newest, first reach its limit sets the end. The later end of the sides that are locked is the lock's.
    """
    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME).order_by("-attempt_time")
    ends = [
        _side_ends_at(recent.filter(username=username), settings.AXES_FAILURE_LIMIT),
        _side_ends_at(recent.filter(ip_address=address), settings.LOGIN_ADDRESS_FAILURE_LIMIT),
    ]
    ends = [end for end in ends if end is not None] or [now + settings.AXES_COOLOFF_TIME]
    end = max(ends)
    rounded = end.replace(second=0, microsecond=0)
    return rounded if rounded == end else rounded + timedelta(minutes=1)


def _side_ends_at(records, limit):
    """When a side whose ``records`` (the newest first) hold ``limit`` failures or more stops being locked; None
    when it is not locked."""
    counted = 0
    for attempt_time, failures in records.values_list("attempt_time", "failures_since_start"):
        counted += failures
        if counted >= limit:
            return attempt_time + settings.AXES_COOLOFF_TIME
    return None
