"""What happens around signing in: the session's clock starts, and a lock-out is written to the log."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.signin import logger, session_start


@receiver(user_logged_in, dispatch_uid="accounts.session_start")
def start_the_session_clock(sender, request, user, **kwargs):
    # login() has just given the session a new key; the timeouts count from this moment.
    if request is not None and hasattr(request, "session"):
        session_start(request.session)


@receiver(user_locked_out, dispatch_uid="accounts.log_lockout")
def log_the_lockout(sender, request, username, ip_address, **kwargs):
    # One line per refused sign-in while locked, so an administrator sees who was guessed at, and from where.
    logger.warning("Sign-in locked out: username=%r address=%s", username, ip_address)
