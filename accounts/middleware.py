from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
