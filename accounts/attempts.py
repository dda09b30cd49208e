"""How django-axes counts failed sign-ins here: by account, and by address with a limit of its own."""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
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
    """When signing in with ``username`` from ``address`` is no longer locked, if no one fails again meanwhile.

    Failures are counted while their record's last failure is younger than the cool-off, and attempts made during a
    lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so by the cool-off after the latest
    failure counted against the account or the address both counts are back to zero. The moment given may be later
    than the lock's true end, never earlier.
    """
    now = now or timezone.now()
    latest = AccessAttempt.objects.filter(
        Q(username=username) | Q(ip_address=address), attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    ).aggregate(latest=Max("attempt_time"))["latest"]
    return (latest or now) + settings.AXES_COOLOFF_TIME
