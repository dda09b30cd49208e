"""Sign-in rules beside Django's own: the address django-axes counts failures by, the page a locked-out person
sees, and how long a session may last (idle, and in all)."""

import ipaddress
import logging
import math
import time

from axes.helpers import get_client_username
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.attempts import lock_ends_at

logger = logging.getLogger("accounts.signin")

# Session keys, as seconds since the epoch (sessions are stored as JSON).
SIGNED_IN_AT = "portal_signed_in_at"
LAST_SEEN = "portal_last_seen"
# A request within this many seconds of the last one stored does not write the session again.
LAST_SEEN_RESOLUTION = 60


def client_ip(request):
    """The address a sign-in came from. With no trusted proxy it is the connection's own (REMOTE_ADDR): a client can
    write any X-Forwarded-For, so trusting it would let each guess claim a new address. With TRUSTED_PROXY_COUNT
    proxies in front, it is the entry the outermost of them appended, counted from the right of X-Forwarded-For,
    where only those proxies write. None when it is not an address at all."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of signing in while the account or the address is locked: until when, and whom to
    ask to lift it sooner."""
    now = timezone.now()
    until = lock_ends_at(username=get_client_username(request, credentials), address=client_ip(request), now=now)
    context = {
        "until": timezone.localtime(until),
        "minutes": max(1, math.ceil((until - now).total_seconds() / 60)),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", context, status=429)


def session_start(session, *, now=None):
    """Mark ``session`` as signed in now: both timeouts count from here."""
    moment = int(now if now is not None else time.time())
    session[SIGNED_IN_AT] = moment
    session[LAST_SEEN] = moment


def session_expiry_message(session, *, now):
    """Why ``session`` must end at ``now`` (a message for the sign-in page), or None while it may go on. A session
    from before these timeouts existed starts counting now."""
    if SIGNED_IN_AT not in session or LAST_SEEN not in session:
        session_start(session, now=now)
        return None
    if now - session[SIGNED_IN_AT] > settings.SESSION_MAX_SECONDS:
        hours = settings.SESSION_MAX_SECONDS // 3600
        return ngettext(
            "You were signed out %(hours)d hour after signing in: a session lasts no longer. Sign in again.",
            "You were signed out %(hours)d hours after signing in: a session lasts no longer. Sign in again.",
            hours,
        ) % {"hours": hours}
    if now - session[LAST_SEEN] > settings.SESSION_IDLE_SECONDS:
        minutes = settings.SESSION_IDLE_SECONDS // 60
        return ngettext(
            "You were signed out after %(minutes)d minute without activity. Sign in again.",
            "You were signed out after %(minutes)d minutes without activity. Sign in again.",
            minutes,
        ) % {"minutes": minutes}
    if now - session[LAST_SEEN] >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN] = int(now)
    return None
