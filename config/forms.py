"""Form pieces every app uses the same way."""

import re

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
# An id as a form sends it: the digits of a 64-bit key at most (config.converters bounds those in addresses alike).
_ID = re.compile(r"[0-9]{1,18}")


class MomentInput(forms.DateTimeInput):
    """The browser's own date-and-time picker."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=MOMENT_FORMAT, **kwargs)


class MomentField(forms.DateTimeField):
    """A moment picked in the browser (in the university's time zone, as every moment the portal shows)."""

    widget = MomentInput

    def __init__(self, **kwargs):
        super().__init__(input_formats=[MOMENT_FORMAT], **kwargs)


# The longest free text a form takes when its model sets no limit (a description, a vignette, a comment): several
# pages, far beyond what anyone writes in a field, and short of what would bloat pages, PDFs and exports.
TEXT_LIMIT = 10_000


def capped_formfield(db_field, **kwargs):
    """A model form's field, as the model would make it, with a text without a limit of its own capped at
    ``TEXT_LIMIT`` characters: the form refuses a longer one with the limit in its message, and the browser stops
    typing there (``maxlength``). Set as ``formfield_callback`` in a model form's Meta."""
    if isinstance(db_field, models.TextField) and db_field.max_length is None:
        kwargs.setdefault("max_length", TEXT_LIMIT)
    return db_field.formfield(**kwargs)


class FileField(forms.FileField):
    """A file field whose refusals say which file and why.

    An empty file is named ("«report.pdf» is empty.") rather than Django's nameless "The submitted file is empty.".
    Django drops a file whose name is not valid UTF-8 before any form sees it (the browser never sends one; a
    hand-made request may), so a missing file may be one whose name could not be read: the message says so.
    """

    default_error_messages = {
        "required": _("Choose a file. If you chose one, its name could not be read: rename the file and try again."),
        "empty": _("«%(name)s» is empty."),
    }

    def to_python(self, data):
        if data not in self.empty_values and not self.allow_empty_file and getattr(data, "size", None) == 0:
            raise forms.ValidationError(self.error_messages["empty"], code="empty", params={"name": data.name})
        return super().to_python(data)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows chosen by id, where an id no 64-bit key can be is an invalid choice before the database sees it
    (Django guards a lookup of one id, not the list it then looks up: SQLite overflows, PostgreSQL refuses)."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for key in value:
                if not _ID.fullmatch(str(key)):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": key}
                    )
        return super()._check_values(value)
