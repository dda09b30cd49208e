"""Courses, rosters, the task schedule, the reading list and consultation and defence slots."""

from coursework.models.courses import (
    TERM_WEEKS,
    Course,
    CourseQuerySet,
    Enrollment,
    EnrollmentQuerySet,
    ReferenceStyle,
    Term,
)
from coursework.models.readings import Reference, ReferenceGroup
from coursework.models.rosters import RosterImport
from coursework.models.slots import Attendance, Booking, Slot, SlotKind
from coursework.models.tasks import (
    ABBREVIATIONS,
    BUILT_IN_PORTAL,
    DUE_TIME,
    Deadline,
    Deliverable,
    Extension,
    Kind,
    RatingPeriod,
    Status,
    Task,
    TaskChange,
    TaskQuerySet,
)

__all__ = [
    "ABBREVIATIONS",
    "BUILT_IN_PORTAL",
    "DUE_TIME",
    "TERM_WEEKS",
    "Attendance",
    "Booking",
    "Course",
    "CourseQuerySet",
    "Deadline",
    "Deliverable",
    "Enrollment",
    "EnrollmentQuerySet",
    "Extension",
    "Kind",
    "RatingPeriod",
    "Reference",
    "ReferenceGroup",
    "ReferenceStyle",
    "RosterImport",
    "Slot",
    "SlotKind",
    "Status",
    "Task",
    "TaskChange",
    "TaskQuerySet",
    "Term",
]
