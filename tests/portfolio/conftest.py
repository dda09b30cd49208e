import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coursework.models import Enrollment
from demo.portfolios import make_docx, make_repository_xlsx
from portfolio import services
from tests.conftest import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx(name="эссе.docx", text="Кейс-менеджменттің даму тарихы"):
    return SimpleUploadedFile(name, make_docx([text]))


def pdf(name="эссе.pdf"):
    return SimpleUploadedFile(name, PDF)


def xlsx(name="репозиторий.xlsx"):
    return SimpleUploadedFile(name, make_repository_xlsx("Әбілқасымова Әсел"))


def at(day, hour=12, minute=0):
    """A moment in Almaty time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def essay(cast):
    """СОӨЖ 1 of the cast's course: due Sunday 21 September 2025, 23:59."""
    return cast.tasks["СОӨЖ 1"]


BEFORE = at(dt.date(2025, 9, 20))  # the day before СОӨЖ 1 is due


def hand_in(task, student, upload, moment=BEFORE):
    """Stage ``upload`` in the student's draft and submit it, as the hand-in pages do."""
    services.draft_add_files(task=task, student=student, uploads=[upload], now=moment)
    return services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)


def class_handing_in(cast, task, size):
    """``size`` more students in the cast's course (group СЖ-23-02), each with a docx handed in for ``task``."""
    for number in range(size):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        hand_in(task, student, docx())


@pytest.fixture
def handed_in(cast, essay):
    """The student's essay handed in as a PDF the day before it is due."""
    return hand_in(essay, cast.student, pdf("Әсел эссе.pdf"))
