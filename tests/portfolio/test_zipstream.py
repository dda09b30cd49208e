import io
import os
import zipfile

from portfolio.zipstream import CHUNK_SIZE, safe_arcname, zip_stream

BIG_SIZE = 5 * 1024 * 1024


class Source(io.BytesIO):
    """An upload as storage hands it over, remembering whether the stream closed it."""

    opened = []

    def __init__(self, content):
        super().__init__(content)
        Source.opened.append(self)


def entries(files):
    return [(name, lambda content=content: Source(content)) for name, content in files]


def streamed(files):
    chunks = list(zip_stream(entries(files)))
    return chunks, zipfile.ZipFile(io.BytesIO(b"".join(chunks)))


def test_files_with_kazakh_names_come_back_byte_for_byte():
    files = [
        ("Әсел Қайратқызы/Эссе — кейс-менеджмент.docx", "Кейс-менеджменттің даму тарихы".encode() * 100),
        ("Әсел Қайратқызы/ескертпе.txt", "Ұстазға хат\n".encode() * 1000),
        ("Нұржан Серікұлы/скан.pdf", os.urandom(BIG_SIZE)),
    ]

    _, archive = streamed(files)

    assert archive.testzip() is None
    assert archive.namelist() == [name for name, _ in files]
    for name, content in files:
        assert archive.read(name) == content
    assert all(info.flag_bits & 0x800 for info in archive.infolist())  # names marked UTF-8


def test_office_documents_and_pdf_are_stored_and_text_is_deflated():
    files = [("а.docx", b"x" * 1000), ("б.PDF", b"y" * 1000), ("в.txt", b"z" * 1000)]

    _, archive = streamed(files)

    types = {info.filename: info.compress_type for info in archive.infolist()}
    assert types == {"а.docx": zipfile.ZIP_STORED, "б.PDF": zipfile.ZIP_STORED, "в.txt": zipfile.ZIP_DEFLATED}


def test_no_yielded_piece_is_much_larger_than_one_chunk_however_big_the_file():
    chunks, archive = streamed([("үлкен.pdf", os.urandom(BIG_SIZE)), ("үлкен.bin", os.urandom(BIG_SIZE))])

    assert archive.testzip() is None
    assert max(len(chunk) for chunk in chunks) <= 2 * CHUNK_SIZE < BIG_SIZE // 10


def test_each_file_is_opened_only_when_its_turn_comes_and_closed_after():
    Source.opened.clear()
    stream = zip_stream(entries([("бірінші.txt", b"1" * 10), ("екінші.txt", b"2" * 10)]))

    next(stream)
    assert len(Source.opened) == 1

    list(stream)
    assert len(Source.opened) == 2
    assert all(source.closed for source in Source.opened)


def test_a_repeated_name_gets_a_number_before_its_extension():
    files = [
        ("Әсел/эссе.docx", b"1"),
        ("Әсел/эссе.docx", b"2"),
        ("Әсел/ЭССЕ.docx", b"3"),
        ("Әсел/жоспар", b"4"),
        ("Әсел/жоспар", b"5"),
    ]

    _, archive = streamed(files)

    assert archive.namelist() == [
        "Әсел/эссе.docx",
        "Әсел/эссе (2).docx",
        "Әсел/ЭССЕ (3).docx",
        "Әсел/жоспар",
        "Әсел/жоспар (2)",
    ]
    assert [archive.read(name) for name in archive.namelist()] == [b"1", b"2", b"3", b"4", b"5"]


def test_an_empty_list_gives_a_valid_empty_archive():
    _, archive = streamed([])

    assert archive.namelist() == []


def test_a_safe_arcname_keeps_kazakh_and_joins_parts_with_slashes():
    assert safe_arcname(" Әсел Қайратқызы ", "1-апта", "эссе.docx") == "Әсел Қайратқызы/1-апта/эссе.docx"


def test_a_safe_arcname_cannot_climb_out_or_add_folders():
    assert safe_arcname("..", "../../etc/passwd") == "_/_._etc_passwd"
    assert safe_arcname("a\\b", "c/d") == "a_b/c_d"
    assert ".." not in safe_arcname("...", "a..b", "..\\..")


def test_a_safe_arcname_drops_control_and_direction_characters_and_is_nfc():
    decomposed = "Ж" + "и\u0306" + "ы"  # й written as и plus a combining breve
    assert safe_arcname(f"{decomposed}\x00\x07", "fdp.\u202eexe") == "Жйы/fdp.exe"
    assert safe_arcname("Аты\tжөні\n") == "Аты жөні"


def test_a_safe_arcname_part_with_nothing_left_becomes_an_underscore():
    assert safe_arcname("", "   ", ".", "\x01") == "_/_/_/_"


def test_a_safe_arcname_replaces_what_windows_refuses():
    assert safe_arcname('3-апта: "кейс" <жоба>?') == "3-апта_ _кейс_ _жоба__"
