"""A portal with work in it to back up, and what it serves, read so that two servers' answers can be compared.

The world: the cast's student has an essay handed in, graded and released; the classmate an essay graded and not
released; the student a PDF handed in for another task and not graded. Everything goes through the services, so
the files are in the storage and the previews built, as a real hand-in leaves them."""

import re
from decimal import Decimal
from types import SimpleNamespace
from urllib.request import urlopen

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from grading.services.grades import grade_release, grade_save
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from portfolio.models import SubmissionFile
from tests.conftest import PASSWORD
from tests.grading.conftest import GOOD_PICKS, give, hand_in, scores_for
from tests.portfolio.conftest import hand_in as hand_in_file
from tests.portfolio.conftest import pdf
from tests.s3 import s3_endpoint  # noqa: F401

# What differs between two renderings of the same page by design: the masked CSRF token and the server's address.
_VARYING = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+"'), rb'\1-"'),
    (re.compile(rb"https?://(127\.0\.0\.1|localhost|testserver)(:\d+)?"), b"http://portal"),
]


def build_world(cast):
    """The work, grades and files described above; the pages and files to compare, by who sees them."""
    letter_scale_ensure()
    essay = cast.tasks["СОӨЖ 1"]
    essay.rubric = essay_rubric_ensure()
    essay.max_points = Decimal(20)
    essay.save()
    graded = hand_in(essay, cast.student, name="Әсел эссе.docx")
    scores = scores_for(essay.rubric, GOOD_PICKS)
    grade = grade_save(version=graded, grader=cast.instructor, expected_lock_version=0, scores=scores)
    grade_release(grade=grade, by=cast.instructor, notify=False)
    held = hand_in(essay, cast.classmate, name="Нұрлан эссе.docx")
    grade_save(version=held, grader=cast.instructor, expected_lock_version=0, scores=scores, feedback="Жақсы.")
    repository = give(cast, "СӨЖ 1", cast.student, Decimal(18)).version
    report = hand_in_file(cast.tasks["СОӨЖ 4-5"], cast.student, pdf("Әсел есеп.pdf"))
    # Hashed as the servers' own settings hash (the tests' fast hasher is not among them), with few iterations.
    for user in (cast.instructor, cast.student):
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, f"salt{user.pk}", iterations=1000)
        user.save(update_fields=["password"])
    course = cast.course.pk
    files = list(SubmissionFile.objects.order_by("pk"))
    assert len(files) == 4, "the world holds other files than it was built with"
    own = [item for item in files if item.version.submission.student_id == cast.student.pk]
    graded_pages = [f"/submissions/{version.submission_id}/grade/" for version in (graded, held, repository, report)]
    return SimpleNamespace(
        files=files,
        pages={
            "instructor": [
                f"/courses/{course}/",
                f"/courses/{course}/gradebook/",
                f"/courses/{course}/tasks/{essay.pk}/queue/",
                *graded_pages,
                *[f"/files/{item.pk}/" for item in files],
            ],
            "student": [
                "/student/",
                f"/courses/{course}/",
                f"/courses/{course}/portfolio/",
                *[f"/submissions/{version.submission_id}/" for version in (graded, repository, report)],
                *[f"/files/{item.pk}/" for item in own],
            ],
        },
    )


def served(get, world, who):
    """What ``get(path)`` (status, body) answers for each of ``who``'s pages: status and body, with the parts
    that differ by design made alike. A download whose answer sends the browser to the storage (a short-lived
    address) is followed, so its bytes are compared."""
    answers = {}
    for path in world.pages[who]:
        status, location, body = get(path)
        if status == 302 and location.startswith("http") and path.startswith("/files/"):
            with urlopen(location, timeout=30) as response:  # noqa: S310 — the storage's address, from the portal
                status, body = response.status, response.read()
        for pattern, replacement in _VARYING:
            body = pattern.sub(replacement, body)
        answers[path] = (status, body)
    return answers


def assert_alike(original, restored):
    """Every page and file answered, successfully and the same by both."""
    assert original.keys() == restored.keys()
    for path, (status, body) in original.items():
        assert status == 200, f"{path} answered {status} before the backup"
        assert restored[path] == (status, body), f"{path} is not served the same after the restore"


@pytest.fixture
def world(cast):
    return build_world(cast)
