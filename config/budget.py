"""How much work reading an uploaded file may take: a bound on what is parsed, not only on its bytes.

A few hundred kilobytes of zip can unpack to tens of millions of empty XML elements, each cheap alone, together
minutes of a worker's time. Every reader of a hostile file therefore carries a ``WorkBudget``: at most so many
elements in one XML part, rows in a sheet and entries in a table of shared strings, and a wall-clock deadline
checked every CHECK_EVERY elements or rows. Going past any of them raises ``OverBudget``, whose ``code`` says which
(the readers turn it into a reason shown to people, never into an error page).

XML is parsed here only through defusedxml, streamed: a document type declaration (and so every entity trick) is
refused before anything is expanded.
"""

import time
from dataclasses import dataclass, field

from defusedxml.ElementTree import iterparse

# The time is read every so many elements or rows: reading the clock on each would cost more than the element.
CHECK_EVERY = 1024
MB = 1024 * 1024


class OverBudget(Exception):
    """Reading stopped at a bound: ``code`` is TOO_MANY_ELEMENTS, TOO_MANY_ROWS, TOO_SLOW or TOO_LARGE."""

    TOO_MANY_ELEMENTS = "too_many_elements"
    TOO_MANY_ROWS = "too_many_rows"
    TOO_SLOW = "too_slow"
    TOO_LARGE = "too_large"

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass
class WorkBudget:
    """The work one reading of one file may do; the clock starts when the budget is made.

    ``max_elements`` bounds each XML part on its own (a document and its statistics are two parts), ``max_rows``
    the rows given out for all sheets together (repeated and skipped empty rows included), ``max_strings`` a
    workbook's table of shared strings, ``max_part_size`` the unpacked bytes of one part (as the zip declares them:
    zipfile stops reading there, so a lying header cannot inflate past it).
    """

    seconds: float
    max_elements: int
    max_rows: int = 1_000_000
    max_strings: int = 500_000
    max_part_size: int = 50 * MB
    clock: object = time.monotonic
    deadline: float = field(init=False)
    rows: int = field(init=False, default=0)

    def __post_init__(self):
        self.deadline = self.clock() + self.seconds

    def check_time(self):
        if self.clock() > self.deadline:
            raise OverBudget(OverBudget.TOO_SLOW, f"over {self.seconds} s")

    def count_rows(self, count=1):
        """Count ``count`` rows given out; the clock is read every CHECK_EVERY rows."""
        before = self.rows
        self.rows += count
        if self.rows > self.max_rows:
            raise OverBudget(OverBudget.TOO_MANY_ROWS, f"over {self.max_rows} rows")
        if before // CHECK_EVERY != self.rows // CHECK_EVERY:
            self.check_time()

    def open_part(self, archive, name, limit=None):
        """The member ``name`` of ``archive`` opened for reading, if the zip says it unpacks to at most ``limit``
        bytes (``max_part_size`` by default). A missing member raises KeyError, as zipfile does."""
        info = archive.getinfo(name)
        limit = self.max_part_size if limit is None else min(limit, self.max_part_size)
        if info.file_size > limit:
            raise OverBudget(OverBudget.TOO_LARGE, f"{name} declares {info.file_size} bytes")
        return archive.open(info)

    def events(self, stream, events=("start", "end")):
        """defusedxml's ``iterparse`` events of one part, counted: past ``max_elements`` elements (or the deadline,
        read every CHECK_EVERY elements) it raises ``OverBudget``. The tree is kept: see ``flat_events``."""
        counted = events[0]
        elements = 0
        check = CHECK_EVERY
        limit = self.max_elements
        for event, element in iterparse(stream, events=events, forbid_dtd=True):
            if event == counted:
                elements += 1
                if elements == check:
                    check += CHECK_EVERY
                    if elements > limit:
                        raise OverBudget(OverBudget.TOO_MANY_ELEMENTS, f"over {limit} elements")
                    self.check_time()
            yield event, element
        if elements > limit:
            raise OverBudget(OverBudget.TOO_MANY_ELEMENTS, f"over {limit} elements")

    def flat_events(self, stream):
        """Start and end events as ``events`` gives them, each element dropped from the tree once the caller has
        seen it close, so memory stays flat however long the part is. An element's ``text`` is whole at its end;
        its ``tail`` is not known then."""
        open_elements = []
        for event, element in self.events(stream):
            if event == "start":
                open_elements.append(element)
            else:
                open_elements.pop()
            yield event, element
            if event == "end" and open_elements:
                open_elements[-1].remove(element)

    def tree(self, stream):
        """The root of a whole small part (statistics, relationships, a workbook's list of sheets), parsed within
        the budget."""
        root = None
        for _event, element in self.events(stream, events=("end",)):
            root = element
        return root
