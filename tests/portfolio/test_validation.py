"""An upload is accepted only when it is an allowed, non-empty, small enough file that really is what its name says."""

import contextlib
import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation

from portfolio.validation import (
    CONTENT_TYPES,
    EXTENSIONS_BY_DELIVERABLE,
    CheckedFile,
    check_total_size,
    check_upload,
    sanitize_filename,
)

MB = 1024 * 1024
DOCUMENTS = EXTENSIONS_BY_DELIVERABLE["essay"]
SPREADSHEETS = EXTENSIONS_BY_DELIVERABLE["service_repository"]
TOOLKIT = EXTENSIONS_BY_DELIVERABLE["assessment_toolkit"]

PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48) + b"This program cannot be run in DOS mode.\r\n"


def zip_of(members, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            # ODF wants its mimetype stored, not compressed.
            archive.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else compression)
    return buffer.getvalue()


CONTENT_TYPES_XML = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX_MEMBERS = {
    "[Content_Types].xml": CONTENT_TYPES_XML,
    "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
    "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="w"><w:body/></w:document>',
}
PPTX_MEMBERS = {
    "[Content_Types].xml": CONTENT_TYPES_XML,
    "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
    "ppt/presentation.xml": '<?xml version="1.0"?><p:presentation xmlns:p="p"/>',
}
XLSX_MEMBERS = {
    "[Content_Types].xml": CONTENT_TYPES_XML,
    "_rels/.rels": '<?xml version="1.0"?><Relationships/>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook/>',
}


def odf_members(mimetype):
    return {
        "mimetype": mimetype,
        "content.xml": '<?xml version="1.0"?><office:document-content xmlns:office="o"/>',
        "META-INF/manifest.xml": '<?xml version="1.0"?><manifest:manifest xmlns:manifest="m"/>',
    }


DOCX = zip_of(DOCX_MEMBERS)
PPTX = zip_of(PPTX_MEMBERS)
XLSX = zip_of(XLSX_MEMBERS)
ODT = zip_of(odf_members("application/vnd.oasis.opendocument.text"))
ODS = zip_of(odf_members("application/vnd.oasis.opendocument.spreadsheet"))


def openpyxl_workbook():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Қызмет", "Мекенжай"])
    workbook.active.append(["Әлеуметтік көмек орталығы", "Алматы"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def refusal(uploaded, *, allowed=DOCUMENTS, max_size=20 * MB):
    """Check the upload, expecting a refusal; return its code and its message."""
    with pytest.raises(ValidationError) as caught:
        check_upload(uploaded, allowed_extensions=allowed, max_size=max_size)
    return caught.value.code, caught.value.messages[0]


@pytest.fixture(autouse=True)
def _in_english(_test_settings):
    # Messages are asserted in English, inside the cast's Kazakh: the catalogue may translate them at any time.
    with translation.override("en"):
        yield


# Real files pass -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "allowed"),
    [
        ("essay.pdf", PDF, DOCUMENTS),
        ("essay.docx", DOCX, DOCUMENTS),
        ("essay.odt", ODT, DOCUMENTS),
        ("services.xlsx", XLSX, SPREADSHEETS),
        ("services.xlsx", openpyxl_workbook(), SPREADSHEETS),
        ("services.ods", ODS, SPREADSHEETS),
        ("toolkit.pptx", PPTX, TOOLKIT),
    ],
)
def test_it_accepts_a_real_file_of_each_allowed_kind(name, content, allowed):
    checked = check_upload(upload(name, content), allowed_extensions=allowed, max_size=20 * MB)
    extension = name.rsplit(".", 1)[1]
    assert checked == CheckedFile(
        extension=extension, content_type=CONTENT_TYPES[extension], size=len(content), original_name=name
    )


def test_it_reads_the_extension_whatever_its_case():
    checked = check_upload(upload("ESSAY.PDF", PDF), allowed_extensions=DOCUMENTS, max_size=MB)
    assert (checked.extension, checked.content_type, checked.original_name) == ("pdf", "application/pdf", "ESSAY.PDF")


def test_a_pdf_may_open_with_a_byte_order_mark_and_blank_lines():
    checked = check_upload(upload("essay.pdf", b"\xef\xbb\xbf\r\n  " + PDF), allowed_extensions=DOCUMENTS, max_size=MB)
    assert checked.extension == "pdf"


def test_it_accepts_a_file_streamed_to_disk():
    uploaded = TemporaryUploadedFile("essay.docx", "application/octet-stream", len(DOCX), None)
    uploaded.write(DOCX)
    uploaded.seek(0)
    try:
        checked = check_upload(uploaded, allowed_extensions=DOCUMENTS, max_size=MB)
    finally:
        uploaded.close()
    assert (checked.extension, checked.size) == ("docx", len(DOCX))


def test_a_kazakh_name_survives_intact():
    checked = check_upload(upload("Әсел_эссе.docx", DOCX), allowed_extensions=DOCUMENTS, max_size=MB)
    assert checked.original_name == "Әсел_эссе.docx"


@pytest.mark.parametrize("content", [PDF, DOCX, EXE])
def test_the_file_is_left_at_its_start_whether_accepted_or_refused(content):
    uploaded = upload("essay.pdf" if content != DOCX else "essay.docx", content)
    uploaded.read(7)
    with contextlib.suppress(ValidationError):
        check_upload(uploaded, allowed_extensions=DOCUMENTS, max_size=MB)
    assert uploaded.tell() == 0
    assert uploaded.read() == content


# Name and extension --------------------------------------------------------------------------


def test_it_refuses_an_extension_the_deliverable_does_not_accept():
    code, message = refusal(upload("services.pdf", PDF), allowed=SPREADSHEETS)
    assert code == "extension"
    assert message == "«services.pdf»: files of type .pdf are not accepted here. Accepted: .xlsx, .ods."


def test_it_refuses_an_executable_by_its_extension():
    code, message = refusal(upload("setup.exe", EXE))
    assert code == "extension"
    assert message == "«setup.exe»: files of type .exe are not accepted here. Accepted: .docx, .pdf, .odt."


def test_it_refuses_a_name_without_an_extension():
    code, message = refusal(upload("essay", PDF))
    assert code == "extension"
    assert message == "«essay» has no file extension. Accepted: .docx, .pdf, .odt."


def test_the_extension_is_judged_before_emptiness():
    assert refusal(upload("empty.exe", b""))[0] == "extension"


def test_the_message_names_the_sanitised_file_not_the_path_that_was_sent():
    code, message = refusal(upload("../../etc/passwd.exe", EXE))
    assert code == "extension"
    assert message.startswith("«passwd.exe»:")


def test_an_extension_without_a_content_check_is_a_programming_error():
    with pytest.raises(ValueError, match="txt"):
        check_upload(upload("notes.txt", b"notes"), allowed_extensions=("txt",), max_size=MB)


# Empty and too large -------------------------------------------------------------------------


def test_it_refuses_an_empty_file():
    code, message = refusal(upload("essay.docx", b""))
    assert code == "empty"
    assert message == "«essay.docx» is empty."


def test_it_refuses_a_file_above_the_limit_and_says_both_sizes():
    content = PDF + bytes(2 * MB)
    code, message = refusal(upload("essay.pdf", content), max_size=MB)
    assert code == "too_large"
    assert message == "«essay.pdf» is 2.0\xa0MB; the limit is 1.0\xa0MB."


def test_a_file_exactly_at_the_limit_passes():
    assert check_upload(upload("essay.pdf", PDF), allowed_extensions=DOCUMENTS, max_size=len(PDF)).size == len(PDF)


def test_it_refuses_a_file_the_upload_handler_cut_off_with_its_true_size():
    # The handler kept only part of the file but recorded how big it really was.
    uploaded = upload("essay.pdf", PDF)
    uploaded.size = 25 * MB
    uploaded.too_large = True
    code, message = refusal(uploaded, max_size=20 * MB)
    assert code == "too_large"
    assert message == "«essay.pdf» is 25.0\xa0MB; the limit is 20.0\xa0MB."


def test_a_too_large_file_is_refused_before_its_content_is_looked_at():
    assert refusal(upload("essay.pdf", EXE + bytes(2 * MB)), max_size=MB)[0] == "too_large"


# Content that does not match the extension ---------------------------------------------------


def test_it_refuses_a_renamed_exe_as_pdf():
    code, message = refusal(upload("essay.pdf", EXE))
    assert code == "content"
    assert message == "«essay.pdf» is not a real PDF file: its content does not match its extension."


def test_it_refuses_a_renamed_exe_as_docx():
    code, message = refusal(upload("essay.docx", EXE))
    assert code == "content"
    assert message == "«essay.docx» is not a real DOCX file: its content does not match its extension."


def test_it_refuses_a_pdf_header_hidden_behind_other_bytes():
    assert refusal(upload("essay.pdf", EXE + PDF))[0] == "content"


def test_it_refuses_a_pdf_header_beyond_the_first_kilobyte():
    assert refusal(upload("essay.pdf", b" " * 1024 + PDF))[0] == "content"


def test_it_refuses_a_zip_renamed_to_docx_without_a_document():
    members = {key: value for key, value in DOCX_MEMBERS.items() if key != "word/document.xml"}
    code, message = refusal(upload("essay.docx", zip_of(members)))
    assert code == "content"
    assert "not a real DOCX file" in message


def test_it_refuses_a_spreadsheet_renamed_to_docx():
    assert refusal(upload("essay.docx", openpyxl_workbook()))[0] == "content"


def test_it_refuses_a_pdf_renamed_to_docx():
    assert refusal(upload("essay.docx", PDF))[0] == "content"


def test_it_refuses_a_spreadsheet_renamed_to_odt():
    code, message = refusal(upload("essay.odt", ODS))
    assert code == "content"
    assert "not a real ODT file" in message


def test_it_refuses_an_opendocument_file_without_content():
    members = odf_members("application/vnd.oasis.opendocument.text")
    del members["content.xml"]
    assert refusal(upload("essay.odt", zip_of(members)))[0] == "content"


def test_it_refuses_an_opendocument_file_without_a_mimetype():
    members = odf_members("application/vnd.oasis.opendocument.text")
    del members["mimetype"]
    assert refusal(upload("essay.odt", zip_of(members)))[0] == "content"


def test_it_refuses_a_truncated_archive():
    assert refusal(upload("essay.docx", DOCX[: len(DOCX) // 2]))[0] == "content"


# Archives that are unsafe to open ------------------------------------------------------------


def test_it_refuses_an_archive_with_too_many_entries(settings):
    settings.PORTFOLIO_ZIP_MAX_ENTRIES = 10
    members = DOCX_MEMBERS | {f"word/media/image{number}.png": b"png" for number in range(20)}
    code, message = refusal(upload("essay.docx", zip_of(members)))
    assert code == "archive_too_many_entries"
    assert message == "«essay.docx» holds 23 parts; at most 10 are accepted."


def test_an_archive_at_the_entry_cap_passes(settings):
    settings.PORTFOLIO_ZIP_MAX_ENTRIES = len(DOCX_MEMBERS)
    assert check_upload(upload("essay.docx", DOCX), allowed_extensions=DOCUMENTS, max_size=MB).extension == "docx"


@pytest.fixture(scope="module")
def docx_with_sixty_megabytes_of_zeros():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in DOCX_MEMBERS.items():
            archive.writestr(name, data)
        with archive.open("word/media/image1.bmp", "w") as member:
            for _ in range(60):
                member.write(bytes(MB))
    return buffer.getvalue()


def test_it_refuses_an_archive_that_unpacks_beyond_the_cap(settings, docx_with_sixty_megabytes_of_zeros):
    settings.PORTFOLIO_ZIP_MAX_UNPACKED = 50 * MB
    code, message = refusal(upload("essay.docx", docx_with_sixty_megabytes_of_zeros))
    assert code == "archive_too_large"
    assert message.startswith("«essay.docx» unpacks to 60.0\xa0MB; the limit is 50.0\xa0MB.")


def test_it_refuses_a_zip_bomb_even_under_the_unpacked_cap(docx_with_sixty_megabytes_of_zeros):
    assert len(docx_with_sixty_megabytes_of_zeros) < MB  # sixty megabytes squeezed into a few kilobytes
    code, message = refusal(upload("essay.docx", docx_with_sixty_megabytes_of_zeros))
    assert code == "archive_too_large"
    assert message.startswith("«essay.docx» contains a part that unpacks to 60.0\xa0MB from only ")


def test_a_large_member_that_barely_compresses_is_not_a_bomb():
    # Photographs in a report are big but already compressed.
    content = zip_of(DOCX_MEMBERS | {"word/media/photo.jpg": bytes(11 * MB)}, compression=zipfile.ZIP_STORED)
    checked = check_upload(upload("essay.docx", content), allowed_extensions=DOCUMENTS, max_size=20 * MB)
    assert checked.extension == "docx"


@pytest.mark.parametrize("member", ["../evil", "word/../../evil", "/etc/passwd", "C:/Windows/evil", "..\\evil"])
def test_it_refuses_an_archive_with_a_member_escaping_its_folder(member):
    code, message = refusal(upload("essay.docx", zip_of(DOCX_MEMBERS | {member: b"x"})))
    assert code == "archive_unsafe"
    assert message == "«essay.docx» contains a part with an unsafe path and cannot be accepted."


def test_a_member_name_merely_containing_dots_is_safe():
    content = zip_of(DOCX_MEMBERS | {"word/media/image..1.png": b"png"})
    assert check_upload(upload("essay.docx", content), allowed_extensions=DOCUMENTS, max_size=MB).extension == "docx"


# File names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\x\\эссе.pdf", "эссе.pdf"),
        ("Әсел_эссе.docx", "Әсел_эссе.docx"),
        ("Жоба: «Кейс» <1>?.docx", "Жоба «Кейс» 1.docx"),
        ('a|b*c"d.pdf', "abcd.pdf"),
        ("report\x00\x1f\x7f.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("  my \t final\n  essay  .docx", "my final essay.docx"),
        ("...hidden.pdf", "hidden.pdf"),
        ("essay.pdf. . ", "essay.pdf"),
        ("", "file"),
        ("///", "file"),
        ("<>:.pdf", "file.pdf"),
        (".pdf", "file.pdf"),
    ],
)
def test_a_name_keeps_only_what_is_safe(sent, kept):
    assert sanitize_filename(sent) == kept


def test_a_decomposed_name_is_composed():
    decomposed = unicodedata.normalize("NFD", "Айгүл_эссе.docx")  # й arrives as и and a combining breve
    assert decomposed != "Айгүл_эссе.docx"
    assert sanitize_filename(decomposed) == "Айгүл_эссе.docx"


def test_a_long_name_is_cut_to_150_characters_keeping_its_extension():
    kept = sanitize_filename("Ә" * 300 + ".docx")
    assert len(kept) == 150
    assert kept == "Ә" * 145 + ".docx"


def test_a_long_name_without_an_extension_is_cut_to_150_characters():
    assert sanitize_filename("essay " * 60 + ". final words") == ("essay " * 60)[:150].rstrip()


# Whole submission ----------------------------------------------------------------------------


def test_a_submission_within_its_total_passes():
    check_total_size([10 * MB, 10 * MB], max_total=20 * MB)


def test_a_submission_above_its_total_is_refused():
    with pytest.raises(ValidationError) as caught:
        check_total_size(iter([10 * MB, 15 * MB]), max_total=20 * MB)
    assert caught.value.code == "submission_too_large"
    assert caught.value.messages == ["Together these files are 25.0\xa0MB; a submission may hold at most 20.0\xa0MB."]
