"""What the student and the staff are told went into a version: a line per file, the message after a hand-in, and
the index at the root of a task's ZIP. Text and bytes only: no HTTP, no queries."""

import csv
import io

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from config.spreadsheets import as_text
from portfolio.templatetags.portfolio import duration_words

INDEX_NAME = "index.csv"


def file_line(item):
    """One file as a receipt lists it: its name, its size in human units, the first 12 hex characters of its
    SHA-256 (enough to match the file a student kept with the one the portal holds)."""
    return _("%(name)s (%(size)s, SHA-256 %(digest)s)") % {
        "name": item.original_name,
        "size": filesizeformat(item.size),
        "digest": item.short_sha256,
    }


def hand_in_message(version, files):
    """What the student reads right after handing in: the version, whether it is late, every file in it."""
    values = {"number": version.number, "files": "; ".join(file_line(item) for item in files)}
    if version.is_late:
        values["delay"] = duration_words(version.late_by)
        return _("Version %(number)d was handed in late, by %(delay)s. It holds: %(files)s.") % values
    return _("Version %(number)d was handed in. It holds: %(files)s.") % values


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def queue_index(rows):
    """The index of a task's ZIP as UTF-8 CSV bytes: a header, then one line per student (``QueueDownloadRow``)
    with their group, name, latest version, its moment, how late, when the statement was accepted, and its files.

    A byte-order mark leads, so that Excel, which instructors open it with, reads Kazakh letters as UTF-8; text
    that people typed (names, groups, file names) never becomes a formula there.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Group"),
            _("Student"),
            _("Version"),
            _("Handed in at"),
            _("Late by"),
            _("Statement accepted at"),
            _("Files"),
        ]
    )
    for row in rows:
        version = row.version
        who = [as_text(row.group), as_text(row.student.display_name)]
        if version is None:
            writer.writerow([*who, "", "", "", "", _("Nothing handed in")])
            continue
        writer.writerow(
            [
                *who,
                version.number,
                _moment(version.submitted_at),
                duration_words(version.late_by) if version.is_late else _("on time"),
                _moment(version.submitted_at) if version.statement_accepted else "",
                as_text("; ".join(file_line(item) for item in row.files)),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
