"""Telling a person what went wrong, the same way on every page."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def report_errors(request, source):
    """Show every message of a ValidationError, or of an invalid form, as an error message on the next page."""
    if isinstance(source, ValidationError):
        texts = source.messages
    else:
        texts = [text for errors in source.errors.values() for text in errors]
    for text in texts:
        messages.error(request, text)
