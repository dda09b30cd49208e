import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from accounts.signin import session_expiry_message


class KazakhFirstLocaleMiddleware(LocaleMiddleware):
    """Kazakh unless the person chose another language with the switcher.

    Django's own middleware would follow the browser's Accept-Language; the university's
    portal speaks Kazakh first, whatever language the browser was installed in.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SignedInNoStoreMiddleware:
    """Nothing shown to a signed-in person is stored, by the browser or by any proxy between: on a shared computer in a
    lab, the back button after signing out must not bring grades or work back. Static files never come this far
    (WhiteNoise answers them first), so they stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class SessionTimeoutMiddleware:
    """Sign out a session idle for SESSION_IDLE_SECONDS, or older than SESSION_MAX_SECONDS since signing in, and say
    why on the sign-in page; the request then goes on as an anonymous one (a page asks to sign in again)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            message = session_expiry_message(request.session, now=time.time())
            if message:
                logout(request)
                messages.info(request, message)
        return self.get_response(request)
