"""What the student and the staff are told went into a version (portfolio/receipts.py): a line per file, the
message after a hand-in, the index of a task's ZIP."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portfolio import services
from portfolio.models import SubmissionFile
from portfolio.receipts import file_line, hand_in_message, queue_index
from portfolio.selectors import queue_download
from tests.portfolio.conftest import BEFORE, PDF, at, docx, pdf

pytestmark = pytest.mark.django_db

DUE = at(dt.date(2025, 9, 21), 23, 59)  # СОӨЖ 1
LATE = DUE + dt.timedelta(days=2, hours=2)


def hand_in_two_files(task, student, now=BEFORE):
    return services.draft_submit(
        task=task,
        student=student,
        uploads=[docx("эссе.docx"), pdf("дереккөздер.pdf")],
        statement_accepted=True,
        now=now,
    )


def test_a_file_line_names_the_file_its_size_and_the_start_of_its_hash(cast, essay):
    version = hand_in_two_files(essay, cast.student)
    item = version.files.get(original_name="дереккөздер.pdf")
    assert file_line(item) == f"дереккөздер.pdf ({item.size}\xa0байт, SHA-256 {item.sha256[:12]})"
    assert len(item.short_sha256) == 12
    scan = SimpleUploadedFile("скан.pdf", PDF + b"0" * (3 * 1024 * 1024 // 2))
    services.draft_add_files(task=essay, student=cast.student, uploads=[scan], now=BEFORE)
    large = SubmissionFile.objects.get(original_name="скан.pdf")
    assert file_line(large) == f"скан.pdf (1,5\xa0МБ, SHA-256 {large.sha256[:12]})"  # sizes in human units


def test_the_message_after_a_hand_in_lists_every_file(cast, essay):
    version = hand_in_two_files(essay, cast.student)
    message = hand_in_message(version, version.files.all())
    assert message.startswith("1-нұсқа тапсырылды.")
    for item in version.files.all():
        assert file_line(item) in message


def test_the_message_after_a_late_hand_in_says_how_late(cast, essay):
    version = hand_in_two_files(essay, cast.student, now=LATE)
    with translation.override("ru"):
        message = hand_in_message(version, version.files.all())
    assert message.startswith("Версия 1 сдана с опозданием на 2 дня 2 часа.")
    assert "эссе.docx" in message and "дереккөздер.pdf" in message


def test_the_index_has_a_line_per_student_with_the_statement_and_the_files(cast, essay):
    version = hand_in_two_files(essay, cast.student, now=LATE)
    data = queue_index(queue_download(essay))
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Kazakh letters as UTF-8
    header, *lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == ["Топ", "Студент", "Нұсқа", "Тапсырылған уақыты", "Кешігу", "Мәлімдеме расталған уақыт", "Файлдар"]
    moment = "2025-09-24 01:59"  # Almaty time, as the student saw it
    assert lines[0][:6] == ["СЖ-23-01", "Әбілқасымова Әсел", "1", moment, "2 күн 2 сағат", moment]
    assert lines[0][6] == "; ".join(file_line(item) for item in version.files.all())
    assert lines[1] == ["СЖ-23-02", "Бекмұратов Нұрлан", "", "", "", "", "Ештеңе тапсырылмаған"]


def test_a_file_name_that_starts_like_a_formula_stays_text_in_the_index(cast, essay):
    services.draft_submit(
        task=essay, student=cast.student, statement_accepted=True, uploads=[docx("=HYPERLINK(1).docx")], now=LATE
    )
    data = queue_index(queue_download(essay))
    _header, first, *_rest = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert first[6].startswith("'=HYPERLINK(1).docx")
