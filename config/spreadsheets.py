"""Text that goes into a spreadsheet, whoever typed it, never becomes a formula."""

# A spreadsheet reads text starting with one of these as a formula (or a command) when it is typed or imported.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def as_text(value):
    """``value`` for a CSV cell: text a spreadsheet would read as a formula gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text
