"""Content that the portal stores in three languages.

A translated field is a group of columns: ``title`` holds the Kazakh text (the
source of truth), ``title_ru`` and ``title_en`` the other interface languages.
"""

from django.utils.translation import get_language

DEFAULT_LANGUAGE = "kk"


def localized(obj, field, language=None):
    """Return ``field`` of ``obj`` in the active language, falling back to Kazakh when empty."""
    language = (language or get_language() or DEFAULT_LANGUAGE).split("-")[0]
    if language != DEFAULT_LANGUAGE:
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)
