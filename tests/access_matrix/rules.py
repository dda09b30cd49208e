"""The words the table is written in: what an actor gets, the rules most pages share, and a row of the table.

An outcome is what the response says, not only its status: "ok" is a page (200) or a redirect anywhere but the
sign-in page; "login" is the redirect to sign in; "forbidden" is 403 (the role does not fit the page);
"not_found" is 404 (the person may not know the object exists).
"""

from dataclasses import dataclass

from tests.access_matrix.world import ACTORS

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "forbidden", "not_found"
GET, POST = "GET", "POST"


def expect(default, **actors):
    """An outcome for each actor: ``default`` for the signed-in ones not named, sign-in for anonymous unless named."""
    unknown = set(actors) - set(ACTORS)
    assert not unknown, f"no such actor: {unknown}"
    return {actor: actors.get(actor, LOGIN if actor == "anonymous" else default) for actor in ACTORS}


# Pages open to anyone, or to anyone signed in.
PUBLIC = expect(OK, anonymous=OK)
SIGNED_IN = expect(OK)

# Pages of a role, whatever the course: 403 for the other roles.
STUDENTS = expect(FORBIDDEN, student=OK, classmate=OK, other_student=OK)
INSTRUCTORS = expect(FORBIDDEN, instructor=OK, colleague=OK, other_instructor=OK)
ADMINS = expect(FORBIDDEN, dept_admin=OK, other_dept_admin=OK)
STAFF = expect(OK, student=FORBIDDEN, classmate=FORBIDDEN, other_student=FORBIDDEN)

# A course's pages: its students, its instructor and its department's admin; 404 for everyone else.
COURSE_MEMBERS = expect(NOT_FOUND, student=OK, classmate=OK, instructor=OK, dept_admin=OK)
# The course's staff (students reach no staff course at all: 404, as outsiders).
COURSE_STAFF = expect(NOT_FOUND, instructor=OK, dept_admin=OK)
# The same behind a role check (instructors and admins only): students are turned away by role first.
STUDENTS_BY_ROLE = {"student": FORBIDDEN, "classmate": FORBIDDEN, "other_student": FORBIDDEN}
COURSE_STAFF_BY_ROLE = expect(NOT_FOUND, instructor=OK, dept_admin=OK, **STUDENTS_BY_ROLE)
# One student's own work or record, and the course's staff: the classmate is an outsider to it.
OWNER_AND_STAFF = expect(NOT_FOUND, student=OK, instructor=OK, dept_admin=OK)
# A student's page of a task of their course, about their own work: each student of the course gets their own,
# so the classmate is let in too; staff are refused by role, a student of another course finds no such task.
COURSE_STUDENTS = expect(FORBIDDEN, student=OK, classmate=OK, other_student=NOT_FOUND)
# A student's action on one of their own objects (a staged file, a booking): nobody else's.
OWNER_ONLY = expect(FORBIDDEN, student=OK, classmate=NOT_FOUND, other_student=NOT_FOUND)
# What the course's instructor does, refused by role (students, admins: 403), then by course (other instructors: 404).
COURSE_INSTRUCTOR = expect(FORBIDDEN, instructor=OK, colleague=NOT_FOUND, other_instructor=NOT_FOUND)
# The same found by course first: students and outsiders find no course (404), its own admin is refused (403).
COURSE_INSTRUCTOR_BY_COURSE = expect(NOT_FOUND, instructor=OK, dept_admin=FORBIDDEN)
# What the department's admin does for a course: its instructor is refused (403), everyone else finds nothing.
COURSE_REVIEWER = expect(NOT_FOUND, dept_admin=OK, instructor=FORBIDDEN)
# The same behind the admin's role: every other role is refused by role first.
COURSE_REVIEWER_BY_ROLE = expect(FORBIDDEN, dept_admin=OK, other_dept_admin=NOT_FOUND)
# The department's directory entry: every member of the department; 404 outside it.
DEPARTMENT_MEMBERS = expect(NOT_FOUND, student=OK, classmate=OK, instructor=OK, colleague=OK, dept_admin=OK)
# What the department's staff do to an entry: students refused by role, other departments find nothing.
DEPARTMENT_STAFF = expect(NOT_FOUND, instructor=OK, colleague=OK, dept_admin=OK, **STUDENTS_BY_ROLE)


def elsewhere(rule):
    """A page reached through an address that pairs the object with another course, task or owner than its own:
    whoever was let in now finds nothing (404); whoever was turned away still is."""
    return {actor: NOT_FOUND if outcome == OK else outcome for actor, outcome in rule.items()}


@dataclass(frozen=True)
class Row:
    """One page of the table: how to reach it in the world, which methods to try, what each actor gets.

    ``body`` builds the POST data (called afresh for each request, so uploads are new files); it is what the
    allowed actor would post to make the change, so that a refused actor's "nothing changed" means something.
    ``changes``: True, an allowed actor's POST changes something (checked, so that the body is known to work);
    False, it must change nothing either (signing out, a link that is not valid, a form naming what the actor may
    not touch). ``changed_by`` narrows True to the actors named; the others' allowed POSTs are only not to fail.
    """

    name: str
    expected: dict
    kwargs: object = None  # world -> the URL's kwargs
    methods: tuple = (GET,)
    body: object = None  # world -> POST data
    variant: str = ""
    changes: bool = True
    changed_by: tuple = ()

    @property
    def ident(self):
        return f"{self.name}[{self.variant}]" if self.variant else self.name
