"""Reading logfmt lines back, to check what config/logs.py and config/gunicorn.conf.py write."""

import re

_PAIR = re.compile(r'([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\]|\\.)*"|[^\s"=\\]+)')
_UNESCAPE = {"n": "\n", "r": "\r", '"': '"', "\\": "\\"}


def parse(line):
    """The fields of one logfmt line, in order; AssertionError if any part of the line is not a key=value pair."""
    fields, position = {}, 0
    for match in _PAIR.finditer(line):
        assert line[position : match.start()] in ("", " "), f"not logfmt at {position}: {line!r}"
        key, value = match.groups()
        if value.startswith('"'):
            value = re.sub(r"\\(.)", lambda escape: _UNESCAPE[escape.group(1)], value[1:-1])
        fields[key] = value
        position = match.end()
    assert position == len(line) and fields, f"not logfmt: {line!r}"
    return fields
