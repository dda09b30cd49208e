"""The table, third part: addresses that pair an object with a course, task or person it does not belong to, and
forms that name something the actor may not touch. A page must check the pairing, not only each part: the other
course's own people pass the course check, and must still find nothing.

These rows are variants of pages the first two parts already cover; they add no page of their own.
"""

from tests.access_matrix import bodies
from tests.access_matrix.rules import (
    COURSE_INSTRUCTOR,
    COURSE_STAFF,
    COURSE_STUDENTS,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    OWNER_ONLY,
    Row,
    elsewhere,
    expect,
)
from tests.access_matrix.table_pages import BOTH, ONLY_POST
from tests.access_matrix.world import STAGED_TASK

NOBODY = expect(NOT_FOUND)
# The department admin's pages of the other course: its instructor is turned away there as ours is here (403).
REVIEWER_ELSEWHERE = expect(NOT_FOUND, other_instructor=FORBIDDEN)
OTHER_STAFF = {"other_instructor": OK, "other_dept_admin": OK}
OTHER_COURSE = ELSEWHERE = "other course"


def in_other_course(key, name="pk"):
    """The object of the cast's course, under the other course's address (which its own people may open)."""
    return lambda world: {"course_pk": world.other_course, name: getattr(world, key)}


def task_in_other_course(label):
    return lambda world: {"course_pk": world.other_course, "pk": world.tasks[label]}


def student_in_other_course(world):
    return {"course_pk": world.other_course, "student_pk": world.users["student"]}


def file_of_task(label, key):
    """The student's own file, under the address of another of their tasks."""
    return lambda world: {"course_pk": world.course, "pk": world.tasks[label], "file_pk": getattr(world, key)}


def pk_of(key):
    return lambda world: {"pk": getattr(world, key)}


ROWS = [
    Row("coursework:roster_import", REVIEWER_ELSEWHERE, in_other_course("roster_import"), variant=OTHER_COURSE),
    Row(
        "coursework:roster_import_apply",
        REVIEWER_ELSEWHERE,
        in_other_course("roster_import"),
        ONLY_POST,
        variant=OTHER_COURSE,
    ),
    Row("coursework:roster_link_send", REVIEWER_ELSEWHERE, student_in_other_course, ONLY_POST, variant=OTHER_COURSE),
    Row(
        "coursework:slot_delete",
        elsewhere(COURSE_INSTRUCTOR),
        in_other_course("free_slot"),
        BOTH,
        bodies.slot_delete,
        variant=OTHER_COURSE,
    ),
    Row(
        "coursework:slot_attendance",
        elsewhere(COURSE_INSTRUCTOR),
        in_other_course("slot"),
        ONLY_POST,
        bodies.attendance,
        variant=OTHER_COURSE,
    ),
    Row("coursework:slot_book", elsewhere(COURSE_STUDENTS), in_other_course("free_slot"), ONLY_POST, variant=ELSEWHERE),
    Row("coursework:booking_cancel", elsewhere(OWNER_ONLY), in_other_course("booking"), ONLY_POST, variant=ELSEWHERE),
    Row(
        "caseplans:vignette_edit",
        elsewhere(COURSE_INSTRUCTOR),
        in_other_course("vignette"),
        BOTH,
        bodies.case_renamed,
        variant=OTHER_COURSE,
    ),
    Row(
        "caseplans:vignette_delete",
        elsewhere(COURSE_INSTRUCTOR),
        in_other_course("spare_vignette"),
        ONLY_POST,
        variant=OTHER_COURSE,
    ),
    Row("caseplans:plan_edit", elsewhere(COURSE_STUDENTS), task_in_other_course("СОӨЖ 2-3"), variant=OTHER_COURSE),
    Row(
        "grading:lock_unlock",
        REVIEWER_ELSEWHERE,
        in_other_course("lock"),
        ONLY_POST,
        bodies.unlock,
        variant=OTHER_COURSE,
    ),
    Row("grading:student_record_pdf", NOBODY, student_in_other_course, variant=OTHER_COURSE),
    Row("grading:task_detail", NOBODY, task_in_other_course("СОӨЖ 1"), variant=OTHER_COURSE),
    Row("grading:queue", NOBODY, task_in_other_course("СОӨЖ 1"), variant=OTHER_COURSE),
    Row("grading:task_edit", elsewhere(COURSE_INSTRUCTOR), task_in_other_course("СОӨЖ 1"), variant=OTHER_COURSE),
    Row(
        "grading:deadline_update",
        elsewhere(COURSE_INSTRUCTOR),
        task_in_other_course("СОӨЖ 1"),
        ONLY_POST,
        bodies.deadline,
        variant=OTHER_COURSE,
    ),
    # A hidden task: its course's staff still open it, its students do not.
    Row(
        "grading:task_detail",
        expect(NOT_FOUND, instructor=OK, dept_admin=OK),
        lambda world: {"course_pk": world.course, "pk": world.hidden_task},
        variant="hidden",
    ),
    # Work with nothing handed in yet (a draft only): the student's own. Staff find no version to open; the review
    # page says that nothing was handed in (and names none of the draft's files), the grading page sends them back.
    Row("portfolio:submission_detail", expect(NOT_FOUND, student=OK), pk_of("draft_submission"), variant="draft only"),
    Row("grading:grade_review", COURSE_STAFF, pk_of("draft_submission"), variant="draft only"),
    Row("grading:grade", COURSE_INSTRUCTOR, pk_of("draft_submission"), variant="draft only"),
    # The student's own files, each under the address of another of their tasks.
    Row(
        "portfolio:draft_file_remove",
        elsewhere(OWNER_ONLY),
        file_of_task("СОӨЖ 1", "draft_file"),
        ONLY_POST,
        variant="other task",
    ),
    Row(
        "analysis:report_remove",
        elsewhere(OWNER_ONLY),
        file_of_task("СӨЖ 4", "draft_file"),
        ONLY_POST,
        variant="other task",
    ),
    Row(
        "toolkits:presentation_remove",
        elsewhere(OWNER_ONLY),
        file_of_task("СӨЖ 3", "report_file"),
        ONLY_POST,
        variant="other task",
    ),
    # Forms naming what the actor may not touch: the page answers, and nothing changes.
    Row(
        "caseplans:assign",
        COURSE_INSTRUCTOR,
        lambda world: {"course_pk": world.course, "pk": world.tasks["СОӨЖ 2-3"]},
        ONLY_POST,
        bodies.assign_outsider,
        variant="student of another course",
        changes=False,
    ),
    Row(
        "grading:extension_grant",
        COURSE_INSTRUCTOR,
        lambda world: {"course_pk": world.course, "pk": world.tasks["СОӨЖ 1"]},
        ONLY_POST,
        bodies.extension_for_outsider,
        variant="student of another course",
        changes=False,
    ),
    Row(
        "grading:task_rubric",
        COURSE_INSTRUCTOR,
        lambda world: {"course_pk": world.course, "pk": world.tasks["СОӨЖ 1"]},
        ONLY_POST,
        bodies.other_departments_rubric,
        variant="another department's rubric",
        changes=False,
    ),
    # A hidden entry of the directory cannot be chosen as the institution of a report.
    Row(
        "directory:institution_choose",
        elsewhere(COURSE_STUDENTS),
        lambda world: {"course_pk": world.course, "pk": world.tasks[STAGED_TASK]},
        ONLY_POST,
        bodies.hidden_institution,
        variant="hidden entry",
    ),
    # Another department's rubric: its own people read it; the cast's department does not know it exists.
    Row(
        "grading:rubric_detail",
        expect(FORBIDDEN, **dict.fromkeys(("instructor", "colleague", "dept_admin"), NOT_FOUND), **OTHER_STAFF),
        pk_of("other_rubric"),
        variant="another department's",
    ),
]
