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


def spread_translations(texts, field):
    """{"kk": …, "ru": …, "en": …} from a seed document, as the columns ``field``, ``field_ru``, ``field_en``."""
    return {field: texts["kk"], f"{field}_ru": texts.get("ru", ""), f"{field}_en": texts.get("en", "")}


# The Kazakh Cyrillic alphabet in its own order; databases sort by code point (Ә, Ғ, Қ … after Я)
# or by a locale that may not be Kazakh, so lists of people are ordered with this key instead.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
# Each letter becomes a character whose code point follows the alphabet, so that comparing the
# translated strings compares in Kazakh order; str.translate does it at C speed for long lists.
_ORDER = str.maketrans({letter: chr(0x3000 + index) for index, letter in enumerate(KAZAKH_ALPHABET)})


def kazakh_sort_key(text):
    """A sort key that puts Kazakh (and Russian) words in Kazakh alphabetical order (Latin letters first)."""
    return (text or "").lower().translate(_ORDER)
