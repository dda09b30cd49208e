"""Signing in: guessing is throttled by account and by address, sessions are new at sign-in and end when idle or old,
and nothing a signed-in person sees is stored by the browser."""

import datetime as dt
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from accounts.signin import LAST_SEEN, SIGNED_IN_AT, client_ip
from tests.conftest import PASSWORD

LIMIT = settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT = settings.LOGIN_ADDRESS_FAILURE_LIMIT
HOME = reverse("home")


def attempt(client, username, password="wrong-password", address="192.0.2.10", **headers):  # noqa: S107
    """One sign-in through the form, from ``address``."""
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def ceil_minute(moment):
    """``moment`` rounded up to the whole minute, as the lock-out page gives the end of a lock."""
    rounded = moment.replace(second=0, microsecond=0)
    return rounded if rounded == moment else rounded + dt.timedelta(minutes=1)


def signed_in(client):
    return "_auth_user_id" in client.session


def locked_out_page(response):
    return response.status_code == 429 and "registration/locked_out.html" in [t.name for t in response.templates]


# Lock-out by account ------------------------------------------------------------------------------------------


def test_four_wrong_passwords_still_let_the_right_one_in(client, cast):
    for _ in range(LIMIT - 1):
        assert attempt(client, cast.student.username).status_code == 200
    response = attempt(client, cast.student.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_an_account_is_locked_after_five_wrong_passwords_from_anywhere(client, cast):
    for number in range(LIMIT - 1):
        assert attempt(client, cast.student.username, address=f"198.51.100.{number + 1}").status_code == 200
    assert locked_out_page(attempt(client, cast.student.username, address="198.51.100.99"))

    # The right password, from an address never seen, is refused while the lock holds.
    response = attempt(Client(), cast.student.username, PASSWORD, address="203.0.113.7")
    assert locked_out_page(response)
    assert not User.objects.get(pk=cast.student.pk).last_login


def test_another_account_signs_in_from_the_same_place_while_one_is_locked(client, cast):
    for number in range(LIMIT):
        attempt(client, cast.student.username, address=f"198.51.100.{number + 1}")
    response = attempt(client, cast.classmate.username, PASSWORD, address="198.51.100.200")
    assert response.status_code == 302 and signed_in(client)


# Lock-out by address ------------------------------------------------------------------------------------------


def test_an_address_is_locked_after_its_own_limit_of_failures_with_different_usernames(client, cast):
    for number in range(ADDRESS_LIMIT - 1):
        assert attempt(client, f"guess{number}").status_code == 200
    assert locked_out_page(attempt(client, "guess-last"))

    # Any account, even with its right password, is refused from that address; from another it signs in.
    assert locked_out_page(attempt(client, cast.instructor.username, PASSWORD))
    response = attempt(Client(), cast.instructor.username, PASSWORD, address="203.0.113.8")
    assert response.status_code == 302


def test_a_computer_lab_behind_one_address_is_not_locked_by_its_students_typos(client, cast):
    """Many students, each mistyping once or twice, through one address: more failures than one account may make."""
    assert ADDRESS_LIMIT > 2 * LIMIT
    for number in range(ADDRESS_LIMIT - 1):
        attempt(client, f"student-{number // 2}")
    response = attempt(client, cast.classmate.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_a_forged_forwarded_for_header_does_not_give_each_guess_a_new_address(client, cast):
    for number in range(ADDRESS_LIMIT):
        response = attempt(client, f"guess{number}", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert locked_out_page(response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_appended(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged_then_real = rf.post("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50")
    assert client_ip(forged_then_real) == "203.0.113.50"
    assert client_ip(rf.post("/", REMOTE_ADDR="10.1.1.1")) == "10.1.1.1"
    assert client_ip(rf.post("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="not an address")) is None
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forged_then_real) == "10.1.1.1"


# The lock-out page --------------------------------------------------------------------------------------------


def lock(client, username="student-who-forgot"):
    for _ in range(LIMIT - 1):
        attempt(client, username)
    before = timezone.localtime()
    response = attempt(client, username)
    after = timezone.localtime()
    return response, before, after


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_lock_out_page_says_in_the_persons_language_until_when_and_whom_to_ask(client, cast, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response, before, after = lock(client)
    assert locked_out_page(response)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    # The end is rounded up to the minute, so it is the cool-off or one minute more from now.
    times = {ceil_minute(moment + settings.AXES_COOLOFF_TIME).strftime("%H:%M") for moment in (before, after)}
    with translation.override(language):
        assert translation.gettext("Sign-in is paused") in page
        expected = {
            translation.ngettext(
                "Try again after %(time)s (in %(counter)s minute).",
                "Try again after %(time)s (in %(counter)s minutes).",
                minutes,
            )
            % {"time": time, "counter": minutes}
            for time in times
            for minutes in (cool_off, cool_off + 1)
        }
        assert any(text in page for text in expected), page
        assert translation.gettext("Back to sign-in") in page


def test_a_lock_out_is_logged_with_the_username_and_the_address(client, cast, caplog):
    with caplog.at_level(logging.WARNING, logger="accounts.signin"):
        lock(client)
    (record,) = [record for record in caplog.records if record.name == "accounts.signin"]
    assert "'student-who-forgot'" in record.getMessage() and "192.0.2.10" in record.getMessage()


# Lifting a lock -----------------------------------------------------------------------------------------------


def lock_the_student(cast):
    client = Client()
    for _ in range(LIMIT):
        attempt(client, cast.student.username)
    assert locked_out_page(attempt(client, cast.student.username, PASSWORD))


def test_an_administrator_sees_the_lock_in_the_admin_and_lifts_it(client, cast):
    lock_the_student(cast)
    admin = User.objects.create_superuser("portal-admin", "admin@example.kz", PASSWORD)
    client.force_login(admin)
    changelist = client.get(reverse("admin:axes_accessattempt_changelist"), {"q": cast.student.username})
    assert changelist.status_code == 200
    assert cast.student.username in changelist.content.decode()
    (pk,) = AccessAttempt.objects.filter(username=cast.student.username).values_list("pk", flat=True)
    assert client.get(reverse("admin:axes_accessattempt_change", args=[pk])).status_code == 200

    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert attempt(Client(), cast.student.username, PASSWORD).status_code == 302


def test_the_reset_command_lifts_every_lock(cast, capsys):
    lock_the_student(cast)
    call_command("axes_reset")
    assert "attempts removed" in capsys.readouterr().out
    assert attempt(Client(), cast.student.username, PASSWORD).status_code == 302


def test_the_lock_ends_by_itself_after_the_cool_off(cast):
    lock_the_student(cast)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1))
    assert attempt(Client(), cast.student.username, PASSWORD).status_code == 302


def test_attempts_during_a_lock_are_not_counted_and_do_not_move_its_end(cast):
    """The right password tried while locked neither extends the lock nor counts against the person; the page gives
    the end the last counted failure set."""
    lock_the_student(cast)
    ten_minutes_ago = timezone.now() - dt.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago)
    counted = sorted(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start"))

    response = attempt(Client(), cast.student.username, PASSWORD)
    response_elsewhere = attempt(Client(), cast.student.username, PASSWORD, address="203.0.113.50")

    assert locked_out_page(response) and locked_out_page(response_elsewhere)
    assert sorted(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == counted
    ends = ceil_minute(timezone.localtime(ten_minutes_ago + settings.AXES_COOLOFF_TIME)).strftime("%H:%M")
    assert ends in response.content.decode() and ends in response_elsewhere.content.decode()


def test_classmates_mistyping_in_the_same_lab_do_not_move_a_locked_accounts_end(cast):
    """The account is locked by its own failures; the lab's address, under its limit, does not set the end."""
    lock_the_student(cast)
    ten_minutes_ago = timezone.now() - dt.timedelta(minutes=10)
    AccessAttempt.objects.update(attempt_time=ten_minutes_ago)
    lab = Client()
    for number in range(3):
        attempt(lab, f"classmate-{number}")  # the same address, now

    response = attempt(lab, cast.student.username, PASSWORD)

    assert locked_out_page(response)
    ends = ceil_minute(timezone.localtime(ten_minutes_ago + settings.AXES_COOLOFF_TIME)).strftime("%H:%M")
    assert f"{ends} " in response.content.decode()


def test_the_end_shown_is_never_before_the_lock_ends(cast):
    """Seconds matter: a lock ending at 14:37:45 is shown as 14:38, never 14:37."""
    lock_the_student(cast)
    last_failure = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    last_failure = last_failure.replace(second=45)
    AccessAttempt.objects.update(attempt_time=last_failure)
    response = attempt(Client(), cast.student.username, PASSWORD)
    shown = ceil_minute(timezone.localtime(last_failure + settings.AXES_COOLOFF_TIME))
    assert shown.second == 0 and shown > timezone.localtime(last_failure + settings.AXES_COOLOFF_TIME)
    assert shown.strftime("%H:%M") in response.content.decode()


# The session --------------------------------------------------------------------------------------------------


def test_signing_in_gives_the_session_a_new_key(client, cast):
    before = SessionStore()
    before["portal_probe"] = "set before signing in"
    before.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    assert attempt(client, cast.student.username, PASSWORD).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not SessionStore().exists(before.session_key)  # the old key no longer opens anything
    assert SessionStore(session_key=after)["_auth_user_id"] == str(cast.student.pk)


def shift(client, **seconds_back):
    """Move the session's stored moments into the past, as if that much time had gone by."""
    session = client.session
    for key, seconds in seconds_back.items():
        session[{"signed_in": SIGNED_IN_AT, "last_seen": LAST_SEEN}[key]] -= seconds
    session.save()


def follow_to_sign_in(client, path):
    response = client.get(path, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login")), response.redirect_chain
    return response.content.decode()


def test_a_session_idle_longer_than_the_limit_is_signed_out_with_a_message(client, cast, login):
    login(cast.student)
    assert client.get(HOME).status_code == 302 and signed_in(client)
    shift(client, last_seen=settings.SESSION_IDLE_SECONDS + 1, signed_in=settings.SESSION_IDLE_SECONDS + 1)

    page = follow_to_sign_in(client, HOME)
    assert not signed_in(client)
    minutes = settings.SESSION_IDLE_SECONDS // 60
    message = translation.ngettext(
        "You were signed out after %(minutes)d minute without activity. Sign in again.",
        "You were signed out after %(minutes)d minutes without activity. Sign in again.",
        minutes,
    ) % {"minutes": minutes}
    assert message in page


def test_a_session_used_within_the_idle_limit_goes_on_and_its_clock_moves(client, cast, login):
    login(cast.student)
    shift(client, last_seen=settings.SESSION_IDLE_SECONDS - 60, signed_in=settings.SESSION_IDLE_SECONDS - 60)
    before = client.session[LAST_SEEN]
    assert client.get(HOME).status_code == 302 and signed_in(client)
    assert client.session[LAST_SEEN] >= before + settings.SESSION_IDLE_SECONDS - 60


def test_a_session_older_than_the_limit_is_signed_out_however_active(client, cast, login):
    login(cast.student)
    shift(client, signed_in=settings.SESSION_MAX_SECONDS + 1)  # last seen a moment ago

    page = follow_to_sign_in(client, HOME)
    assert not signed_in(client)
    hours = settings.SESSION_MAX_SECONDS // 3600
    message = translation.ngettext(
        "You were signed out %(hours)d hour after signing in: a session lasts no longer. Sign in again.",
        "You were signed out %(hours)d hours after signing in: a session lasts no longer. Sign in again.",
        hours,
    ) % {"hours": hours}
    assert message in page


def test_the_timeouts_default_to_two_hours_idle_and_twelve_in_all():
    assert (settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS) == (2 * 3600, 12 * 3600)
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_SECONDS


# Caching ------------------------------------------------------------------------------------------------------


def test_pages_of_a_signed_in_person_are_never_stored(client, cast, login):
    login(cast.instructor)
    for response in (client.get(HOME), client.get(HOME, follow=True), client.get(reverse("password_change"))):
        assert response["Cache-Control"] == "private, no-store"


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_the_sign_in_pages_static_files_stay_cacheable_even_for_a_signed_in_person(cast):
    page = Client().get(reverse("login")).content.decode()
    stylesheet = re.search(r'href="(/static/css/portal\.css)"', page).group(1)
    client = Client()
    client.force_login(cast.student)
    response = client.get(stylesheet)
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"] and "private" not in response["Cache-Control"]
