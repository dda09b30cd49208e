"""Log lines in logfmt: ``time=… level=… logger=… message="…"`` and any ``extra`` fields, one event per line."""

import logging
import re
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request", "server_time"}
_BARE = re.compile(r"^[^\s=\"\\]+$")


def _value(value):
    text = str(value)
    if text and _BARE.match(text):
        return text
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


class LogfmtFormatter(logging.Formatter):
    def format(self, record):
        fields = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        line = " ".join(f"{key}={_value(value)}" for key, value in fields.items())
        if record.exc_info:
            line += " traceback=" + _value(self.formatException(record.exc_info))
        return line
