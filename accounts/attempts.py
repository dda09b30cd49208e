"""How django-axes counts failed sign-ins here: by account, and by address with a limit of its own."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


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
