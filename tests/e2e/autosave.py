"""What the browser tests of pages that save as the student types (static/js/autosave.js) read and break."""


def kept_copies_under(page, prefix):
    """The copies of the work this browser keeps under ``prefix`` (one for each page holding changes no save has
    confirmed)."""
    return page.evaluate(
        "prefix => Object.keys(localStorage).filter((key) => key.startsWith(prefix)).map((key) => localStorage[key])",
        prefix,
    )


def wait_until_nothing_is_kept_under(page, prefix):
    page.wait_for_function("prefix => !Object.keys(localStorage).some((key) => key.startsWith(prefix))", arg=prefix)


def failing_saves(path):
    """A script that makes every save the page sends to a URL holding ``path`` fail as with no connection; the rest
    of the page works."""
    return (
        "() => {\n"
        "  const fetchAsBefore = window.fetch;\n"
        '  const failed = () => Promise.reject(new TypeError("Failed to fetch"));\n'
        f"  window.fetch = (url, options) =>\n"
        f"    String(url).includes({path!r}) ? failed() : fetchAsBefore(url, options);\n"
        "}"
    )
