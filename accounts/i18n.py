"""Content that the portal stores in three languages.

A translated field is a group of columns: ``title`` holds the Kazakh text (the
source of truth), ``title_ru`` and ``title_en`` the other interface languages.
A model declares the group in one line, ``title = Translated(models.CharField, max_length=255)``.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

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


# The labels of each translated field's three columns, Kazakh, Russian and English. Each is a whole
# msgid that the catalogues translate (a label put together from pieces could not be translated).
TRANSLATED_LABELS = {
    "name": (_("name (Kazakh)"), _("name (Russian)"), _("name (English)")),
    "faculty": (_("faculty (Kazakh)"), _("faculty (Russian)"), _("faculty (English)")),
    "university": (_("university (Kazakh)"), _("university (Russian)"), _("university (English)")),
    "title": (_("title (Kazakh)"), _("title (Russian)"), _("title (English)")),
    "programme": (
        _("educational programme (Kazakh)"),
        _("educational programme (Russian)"),
        _("educational programme (English)"),
    ),
    "description": (_("description (Kazakh)"), _("description (Russian)"), _("description (English)")),
    "portfolio": (
        _("portfolio requirements (Kazakh)"),
        _("portfolio requirements (Russian)"),
        _("portfolio requirements (English)"),
    ),
    "descriptor": (_("descriptor (Kazakh)"), _("descriptor (Russian)"), _("descriptor (English)")),
    "weight_note": (_("weight note (Kazakh)"), _("weight note (Russian)"), _("weight note (English)")),
}


class Translated:
    """A translated field in a model's body: ``title = Translated(models.CharField, max_length=255)``.

    The model gets the columns ``title`` (Kazakh: required unless the options say ``blank=True``),
    ``title_ru`` and ``title_en`` (always ``blank=True``), labelled from TRANSLATED_LABELS, and the
    property ``display_title``: the text in the active language, falling back to Kazakh (``localized``).
    They are ordinary fields, so migrations see exactly what three hand-written declarations would give.
    """

    SUFFIXES = ("", "_ru", "_en")

    def __init__(self, field_class, **options):
        # Made here, where the model's body declares them, so that they keep that place among its
        # fields (the admin's forms and new tables list fields in the order they were made).
        self.columns = [
            field_class(**options),
            field_class(**{**options, "blank": True}),
            field_class(**{**options, "blank": True}),
        ]

    def contribute_to_class(self, cls, name, **kwargs):
        if name not in TRANSLATED_LABELS:
            raise LookupError(f"{cls.__name__}.{name}: add the labels of its three columns to TRANSLATED_LABELS.")
        for suffix, column, label in zip(self.SUFFIXES, self.columns, TRANSLATED_LABELS[name], strict=True):
            # As if passed to the constructor: Field keeps the label it was given in _verbose_name for deconstruct().
            column.verbose_name = column._verbose_name = label
            cls.add_to_class(f"{name}{suffix}", column)
        setattr(cls, f"display_{name}", property(lambda obj: localized(obj, name)))


# The Kazakh Cyrillic alphabet in its own order; databases sort by code point (Ә, Ғ, Қ … after Я)
# or by a locale that may not be Kazakh, so lists of people are ordered with this key instead.
KAZAKH_ALPHABET = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
# Each letter becomes a character whose code point follows the alphabet, so that comparing the
# translated strings compares in Kazakh order; str.translate does it at C speed for long lists.
_ORDER = str.maketrans({letter: chr(0x3000 + index) for index, letter in enumerate(KAZAKH_ALPHABET)})


def kazakh_sort_key(text):
    """A sort key that puts Kazakh (and Russian) words in Kazakh alphabetical order (Latin letters first)."""
    return (text or "").lower().translate(_ORDER)
