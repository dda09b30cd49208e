"""The table, second half: the homes, course and task pages, queues, grading, the gradebook and its exports, the
letter scale and rubrics."""

from tests.access_matrix import bodies
from tests.access_matrix.rules import (
    ADMINS,
    COURSE_INSTRUCTOR,
    COURSE_INSTRUCTOR_BY_COURSE,
    COURSE_MEMBERS,
    COURSE_REVIEWER,
    COURSE_STAFF,
    COURSE_STUDENTS,
    FORBIDDEN,
    INSTRUCTORS,
    NOT_FOUND,
    OK,
    OWNER_AND_STAFF,
    STAFF,
    STUDENTS,
    Row,
    expect,
)
from tests.access_matrix.table_pages import BOTH, ONLY_POST, course, course_and, course_as_pk, pk, task

# A rubric of the department: its staff read and copy it; other departments do not know it exists.
DEPARTMENT_RUBRIC = expect(NOT_FOUND, student=FORBIDDEN, classmate=FORBIDDEN, other_student=FORBIDDEN,
                           instructor=OK, colleague=OK, dept_admin=OK)  # fmt: skip
# Changing it: its author and the department's admin; another instructor of the department reads it only.
RUBRIC_EDITORS = {**DEPARTMENT_RUBRIC, "colleague": FORBIDDEN}

HOMES = [
    Row("grading:student_home", STUDENTS),
    Row("grading:instructor_home", INSTRUCTORS),
    Row("grading:department_home", ADMINS),
]

COURSE_PAGES = [
    Row("grading:course_detail", COURSE_MEMBERS, course_as_pk),
    Row("grading:task_detail", COURSE_MEMBERS, task("СОӨЖ 1")),
    Row("grading:student_portfolio", COURSE_STUDENTS, course),
]

QUEUE = [
    Row("grading:queue", COURSE_STAFF, task("СОӨЖ 1")),
    Row("grading:deadline_update", COURSE_INSTRUCTOR, task("СОӨЖ 1"), ONLY_POST, bodies.deadline),
    Row("grading:extension_grant", COURSE_INSTRUCTOR, task("СОӨЖ 1"), ONLY_POST, bodies.extension),
    Row("grading:task_release_all", COURSE_INSTRUCTOR, task("СӨЖ 4"), BOTH, bodies.release_all),
    Row("grading:task_rubric", COURSE_INSTRUCTOR, task("СОӨЖ 1"), ONLY_POST, bodies.task_rubric),
]

TASK_EDITOR = [
    Row("grading:task_editor", COURSE_INSTRUCTOR, course),
    Row("grading:task_create", COURSE_INSTRUCTOR, course, BOTH, bodies.new_task),
    Row("grading:task_edit", COURSE_INSTRUCTOR, task("СОӨЖ 1"), BOTH, bodies.task_edit),
    Row("grading:task_move", COURSE_INSTRUCTOR, task("СОӨЖ 1"), ONLY_POST, bodies.move),
    Row("grading:task_hide", COURSE_INSTRUCTOR, task("СӨЖ 1"), ONLY_POST),
    Row("grading:task_show", COURSE_INSTRUCTOR, course_and("hidden_task"), ONLY_POST),
    Row("grading:task_delete", COURSE_INSTRUCTOR, course_and("hidden_task"), BOTH),
]

GRADES = [
    Row("grading:grade", COURSE_INSTRUCTOR, pk("submission"), BOTH, bodies.grade),
    # The read-only review is for the course's staff; the work's own student reads their grade elsewhere (404).
    Row("grading:grade_review", COURSE_STAFF, pk("submission")),
    Row("grading:release", COURSE_INSTRUCTOR, pk("draft_grade"), ONLY_POST),
    Row("grading:feedback_pdf", OWNER_AND_STAFF, pk("released_grade")),
    # A grade not released yet is the staff's only: its student does not see it.
    Row("grading:feedback_pdf", COURSE_STAFF, pk("draft_grade"), variant="draft"),
]

GRADEBOOK = [
    Row("grading:gradebook", COURSE_MEMBERS, course),
    Row("grading:control_scores", COURSE_INSTRUCTOR_BY_COURSE, course, BOTH, bodies.control_scores),
    Row("grading:assessment_update", COURSE_INSTRUCTOR_BY_COURSE, course, ONLY_POST, bodies.formula),
    Row("grading:lock_create", COURSE_REVIEWER, course, ONLY_POST, bodies.lock),
    Row("grading:lock_unlock", COURSE_REVIEWER, course_and("lock"), ONLY_POST, bodies.unlock),
    # Signing off asks for the results to be locked first (the world's lock is planned, not in force): the
    # admin is told so. Locked, every grading POST above would need a reason; this row gives up the check instead.
    Row("grading:sign_off", COURSE_REVIEWER, course, ONLY_POST, bodies.sign_off, changes=False),
    Row("grading:gradebook_xlsx", COURSE_STAFF, course),
    Row("grading:gradebook_pdf", COURSE_STAFF, course),
    Row(
        "grading:student_record_pdf",
        OWNER_AND_STAFF,
        lambda world: {"course_pk": world.course, "student_pk": world.users["student"]},
    ),
]

# Files prepared in the background: asked for by the course's staff (the department's admin for the department's),
# each job seen and fetched only by the person who asked for it (the world's is the instructor's).
REQUESTER = expect(NOT_FOUND, instructor=OK)
JOBS = [
    Row("jobs:course_export", COURSE_STAFF, lambda world: {"course_pk": world.course, "kind": "pdf"}, ONLY_POST),
    Row("jobs:department_export", ADMINS, lambda world: {"kind": "xlsx"}, ONLY_POST),
    Row("jobs:feedback_export", COURSE_STAFF, task("СОӨЖ 1"), ONLY_POST),
    Row("jobs:job", REQUESTER, pk("job")),
    Row("jobs:status", REQUESTER, pk("job")),
    Row("jobs:download", REQUESTER, pk("job")),
]

RUBRICS = [
    # Each department's admin keeps their own department's scale.
    Row("grading:letter_scale", ADMINS, methods=BOTH, body=bodies.letter_scale),
    Row("grading:rubric_list", STAFF),
    Row("grading:rubric_create", STAFF, methods=BOTH, body=bodies.rubric_new),
    Row("grading:rubric_detail", DEPARTMENT_RUBRIC, pk("rubric")),
    Row("grading:rubric_edit", RUBRIC_EDITORS, pk("rubric"), BOTH, bodies.rubric_edit),
    # A copy is written into the copier's own department.
    Row("grading:rubric_copy", DEPARTMENT_RUBRIC, pk("rubric"), ONLY_POST),
    Row("grading:rubric_bands", RUBRIC_EDITORS, pk("rubric"), BOTH, bodies.bands),
]

ROWS = HOMES + COURSE_PAGES + QUEUE + TASK_EDITOR + GRADES + GRADEBOOK + JOBS + RUBRICS
