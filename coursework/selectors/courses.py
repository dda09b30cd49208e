"""What pages read about a course beyond its schedule: the course document's provenance and reading list, and the
run a copy of the course is proposed for."""

import datetime as dt
from dataclasses import dataclass, field

from coursework.models import ReferenceGroup

# The reading list's groups in the course document's order, each under its own heading.
GROUP_ORDER = {value: index for index, value in enumerate(ReferenceGroup.values)}


@dataclass(frozen=True)
class Protocol:
    kind: str  # "department" or "faculty": whose meeting passed the document
    number: str
    date: dt.date | None


@dataclass(frozen=True)
class ReferenceSection:
    group: str
    label: str
    entries: list = field(default_factory=list)  # (number in the whole list, Reference)


@dataclass(frozen=True)
class CourseDocument:
    compiler: str
    protocols: list  # the department's, then the faculty council's: those the course records
    sections: list
    size: int


def course_document(course):
    """The course document's title page and reading list, grouped and numbered as the document does (one query).

    Entries are numbered 1, 2, … across the groups, literature first, then professional scholarly databases,
    then internet resources; each group keeps its entries' own order.
    """
    # Put in order here: the model's own ordering would join the course only to sort by it.
    references = sorted(
        course.references.order_by(), key=lambda entry: (GROUP_ORDER[entry.group], entry.position, entry.pk)
    )
    numbered = list(enumerate(references, start=1))
    sections = [
        ReferenceSection(
            group, ReferenceGroup(group).label, [(n, entry) for n, entry in numbered if entry.group == group]
        )
        for group in ReferenceGroup.values
    ]
    protocols = [
        Protocol("department", course.department_protocol_number, course.department_protocol_date),
        Protocol("faculty", course.faculty_protocol_number, course.faculty_protocol_date),
    ]
    return CourseDocument(
        compiler=course.compiler,
        protocols=[protocol for protocol in protocols if protocol.number or protocol.date],
        sections=[section for section in sections if section.entries],
        size=len(references),
    )


def course_next_run(course):
    """The run a copy of ``course`` is proposed for: the same term of the next academic year, starting on the
    Monday of the week that holds the source's start date one year on."""
    first = int(course.academic_year[:4]) + 1
    start = course.start_date
    try:
        same_day = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        same_day = start + dt.timedelta(days=365)
    return {
        "code": course.code,
        "academic_year": f"{first}-{first + 1}",
        "term": course.term,
        "start_date": same_day - dt.timedelta(days=same_day.weekday()),
    }
