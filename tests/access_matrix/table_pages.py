"""The table, first half: signing in, courses and rosters, slots, hand-ins, case plans, analyses, toolkits, the
directory. Each row: the URL's name, its kwargs in the world, the methods tried, and what each actor gets."""

from tests.access_matrix import bodies
from tests.access_matrix.rules import (
    ADMINS,
    COURSE_INSTRUCTOR,
    COURSE_MEMBERS,
    COURSE_REVIEWER,
    COURSE_REVIEWER_BY_ROLE,
    COURSE_STAFF,
    COURSE_STAFF_BY_ROLE,
    COURSE_STUDENTS,
    DEPARTMENT_MEMBERS,
    DEPARTMENT_STAFF,
    FORBIDDEN,
    GET,
    LOGIN,
    NOT_FOUND,
    OK,
    OWNER_AND_STAFF,
    OWNER_ONLY,
    POST,
    PUBLIC,
    SIGNED_IN,
    Row,
    expect,
)
from tests.access_matrix.world import STAGED_TASK

BOTH = (GET, POST)
STUDENT, CLASSMATE = ("student",), ("classmate",)
ONLY_POST = (POST,)


def course(world):
    return {"course_pk": world.course}


def course_as_pk(world):
    return {"pk": world.course}


def task(label):
    return lambda world: {"course_pk": world.course, "pk": world.tasks[label]}


def task_and_file(label, key):
    return lambda world: {"course_pk": world.course, "pk": world.tasks[label], "file_pk": getattr(world, key)}


def course_and(key, name="pk"):
    return lambda world: {"course_pk": world.course, name: getattr(world, key)}


def pk(key):
    return lambda world: {"pk": getattr(world, key)}


ACCOUNTS = [
    # Every signed-in person is sent on to their role's home.
    Row("home", SIGNED_IN),
    # Anyone may see the sign-in page; a signed-in person is sent on (redirect_authenticated_user).
    Row("login", PUBLIC),
    # Signing out answers POST only, is harmless for anyone, and ends on the sign-in page.
    Row("logout", expect(LOGIN), methods=ONLY_POST, changes=False),
    Row("password_change", SIGNED_IN, methods=BOTH, body=bodies.password_change),
    Row("password_change_done", SIGNED_IN),
    # A link whose token is not valid sets no password, whoever follows it.
    Row(
        "password_reset_confirm",
        PUBLIC,
        kwargs=lambda world: {"uidb64": world.reset_uid, "token": "not-a-valid-token"},
        methods=BOTH,
        body=bodies.password_set,
        changes=False,
    ),
    Row("password_reset_complete", PUBLIC),
    # The language switcher keeps its choice in a cookie: nothing is written (a GET is only sent back).
    Row("set_language", PUBLIC, methods=BOTH, body=bodies.language, changes=False),
    Row("javascript-catalog", PUBLIC),
]

COURSEWORK = [
    # Opening a course: any department's admin, in their own department (the other admin's instructor list does
    # not hold the cast's instructor, so only the cast's admin's POST makes a course).
    Row(
        "coursework:course_create",
        ADMINS,
        methods=BOTH,
        body=bodies.course,
        changed_by=("dept_admin",),
    ),
    Row("coursework:course_edit", COURSE_REVIEWER_BY_ROLE, course_as_pk, BOTH, bodies.course),
    Row("coursework:course_copy", COURSE_REVIEWER_BY_ROLE, course_as_pk, BOTH, bodies.course_copy),
    Row("coursework:reading_list", COURSE_INSTRUCTOR, course_as_pk, BOTH, bodies.reading_list),
    Row("coursework:roster", COURSE_REVIEWER, course, BOTH, bodies.roster_upload),
    Row("coursework:roster_template", COURSE_REVIEWER, course),
    Row("coursework:roster_import", COURSE_REVIEWER, course_and("roster_import")),
    # The student has a password already: the admin is told so, and nothing is sent.
    Row(
        "coursework:roster_link_send",
        COURSE_REVIEWER,
        lambda world: {"course_pk": world.course, "student_pk": world.users["student"]},
        ONLY_POST,
        changes=False,
    ),
    Row("coursework:roster_import_apply", COURSE_REVIEWER, course_and("roster_import"), ONLY_POST),
    Row("coursework:slots", COURSE_INSTRUCTOR, task("СӨЖ 3")),
    Row("coursework:slot_publish", COURSE_INSTRUCTOR, task("СӨЖ 3"), ONLY_POST, bodies.slot_publish),
    Row("coursework:slot_delete", COURSE_INSTRUCTOR, course_and("free_slot"), BOTH, bodies.slot_delete),
    # The slot is still to come: attendance is refused with a message, for the instructor too.
    Row(
        "coursework:slot_attendance",
        COURSE_INSTRUCTOR,
        course_and("slot"),
        ONLY_POST,
        bodies.attendance,
        changes=False,
    ),
    # The student holds a seat of this task's defence already (one a task): only the classmate's booking is new.
    Row("coursework:slot_book", COURSE_STUDENTS, course_and("free_slot"), ONLY_POST, changed_by=CLASSMATE),
    Row("coursework:booking_cancel", OWNER_ONLY, course_and("booking"), ONLY_POST),
    # The calendar: each student their own bookings, the instructor every slot; the admin who only oversees has no
    # calendar of the course (403).
    Row(
        "coursework:slots_ics",
        expect(NOT_FOUND, student=OK, classmate=OK, instructor=OK, dept_admin=FORBIDDEN),
        course,
    ),
]

PORTFOLIO = [
    Row("portfolio:draft_upload", COURSE_STUDENTS, task(STAGED_TASK), ONLY_POST, bodies.upload),
    Row("portfolio:draft_file_remove", OWNER_ONLY, task_and_file(STAGED_TASK, "draft_file"), ONLY_POST),
    Row("portfolio:draft_submit", COURSE_STUDENTS, task(STAGED_TASK), ONLY_POST, bodies.hand_in),
    Row("portfolio:repository_template", COURSE_MEMBERS, task("СӨЖ 1")),
    Row("portfolio:queue_zip", COURSE_STAFF, task("СОӨЖ 1")),
    Row("portfolio:student_portfolio_zip", COURSE_STUDENTS, course),
    Row("portfolio:submission_detail", OWNER_AND_STAFF, pk("submission")),
    Row("portfolio:file_download", OWNER_AND_STAFF, pk("submitted_file")),
    # A file still in the student's draft is theirs alone: staff see files once handed in.
    Row("portfolio:file_download", expect(NOT_FOUND, student=OK), pk("draft_file"), variant="draft"),
]

CASEPLANS = [
    Row("caseplans:vignettes", COURSE_STAFF_BY_ROLE, course),
    Row("caseplans:vignette_create", COURSE_INSTRUCTOR, course, BOTH, bodies.case),
    Row("caseplans:vignette_examples", COURSE_INSTRUCTOR, course, ONLY_POST),
    Row("caseplans:vignette_edit", COURSE_INSTRUCTOR, course_and("vignette"), BOTH, bodies.case_renamed),
    Row("caseplans:vignette_delete", COURSE_INSTRUCTOR, course_and("spare_vignette"), ONLY_POST),
    Row("caseplans:assignments", COURSE_STAFF_BY_ROLE, task("СОӨЖ 2-3")),
    Row("caseplans:hand_out", COURSE_INSTRUCTOR, task("СОӨЖ 2-3"), ONLY_POST),
    Row("caseplans:assign", COURSE_INSTRUCTOR, task("СОӨЖ 2-3"), ONLY_POST, bodies.assign),
    Row("caseplans:plan_edit", COURSE_STUDENTS, task("СОӨЖ 2-3")),
    Row("caseplans:plan_save", COURSE_STUDENTS, task("СОӨЖ 2-3"), ONLY_POST, bodies.plan),
    Row("caseplans:plan_submit", COURSE_STUDENTS, task("СОӨЖ 2-3"), ONLY_POST, bodies.plan_submit),
    Row("caseplans:organisations", COURSE_STUDENTS, task("СОӨЖ 2-3")),
]

ANALYSIS = [
    Row("analysis:edit", COURSE_STUDENTS, task("СӨЖ 4")),
    Row("analysis:save", COURSE_STUDENTS, task("СӨЖ 4"), ONLY_POST, bodies.analysis),
    # The classmate has no report: only the student's hand-in goes through.
    Row("analysis:submit", COURSE_STUDENTS, task("СӨЖ 4"), ONLY_POST, bodies.analysis_submit, changed_by=STUDENT),
    # The student's report is there already (one a version): only the classmate's upload is new.
    Row("analysis:report_upload", COURSE_STUDENTS, task("СӨЖ 4"), ONLY_POST, bodies.report, changed_by=CLASSMATE),
    Row("analysis:report_remove", OWNER_ONLY, task_and_file("СӨЖ 4", "report_file"), ONLY_POST),
]

TOOLKITS = [
    Row("toolkits:edit", COURSE_STUDENTS, task("СӨЖ 3")),
    Row("toolkits:save", COURSE_STUDENTS, task("СӨЖ 3"), ONLY_POST, bodies.toolkit),
    Row("toolkits:submit", COURSE_STUDENTS, task("СӨЖ 3"), ONLY_POST, bodies.toolkit_submit, changed_by=STUDENT),
    Row("toolkits:forms_pdf", COURSE_STUDENTS, task("СӨЖ 3")),
    Row(
        "toolkits:presentation_upload",
        COURSE_STUDENTS,
        task("СӨЖ 3"),
        ONLY_POST,
        bodies.presentation,
        changed_by=CLASSMATE,
    ),
    Row("toolkits:presentation_remove", OWNER_ONLY, task_and_file("СӨЖ 3", "presentation_file"), ONLY_POST),
]

DIRECTORY = [
    # Each person searches their own department's directory.
    Row("directory:index", SIGNED_IN),
    Row("directory:export", SIGNED_IN),
    Row("directory:entry", DEPARTMENT_MEMBERS, pk("entry")),
    # A hidden entry: the department's staff see it (marked), students do not.
    Row(
        "directory:entry",
        expect(NOT_FOUND, instructor=OK, colleague=OK, dept_admin=OK),
        pk("hidden_entry"),
        variant="hidden",
    ),
    Row("directory:entry_hide", DEPARTMENT_STAFF, pk("entry"), ONLY_POST),
    Row("directory:entry_show", DEPARTMENT_STAFF, pk("hidden_entry"), ONLY_POST),
    Row("directory:institution_choose", COURSE_STUDENTS, task(STAGED_TASK), ONLY_POST, bodies.institution_choose),
    Row("directory:institution_add", COURSE_STUDENTS, task(STAGED_TASK), BOTH, bodies.institution),
]

ROWS = ACCOUNTS + COURSEWORK + PORTFOLIO + CASEPLANS + ANALYSIS + TOOLKITS + DIRECTORY
