"""Small files that unpack to millions of empty XML elements, made as an attacker would, for the tests and the bench.

Each passes the upload checks of ``portfolio.validation``: a part over 10 MB is refused there only when it packs more
than 200 times, so the elements are sprinkled with a little random whitespace (legal between elements) to pack
about 150 times, as the 331 KB workbook of issue 15 did (49 MB of shared strings). The randomness is a block
repeated past the compressor's window: building a 50 MB part takes well under a second.
"""

import io
import random
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"'
)


def repeated(element, size, noise=0.01, seed=15):
    """``element`` repeated to about ``size`` bytes, a share ``noise`` of them followed by a random whitespace
    character; and how many times it is repeated."""
    rnd = random.Random(seed)  # noqa: S311 — a fixed pattern, not a secret
    block = b"".join(
        element + (rnd.choice(b" \n\t\r").to_bytes() if rnd.random() < noise else b"") for _ in range(20000)
    )
    copies = max(1, size // len(block))
    return block * copies, 20000 * copies


def zipped(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx(sheet_rows, shared_strings=None):
    """An .xlsx of one sheet «Парақ1» whose sheetData is ``sheet_rows`` (XML), with ``shared_strings`` (the bytes
    inside <sst>) when given."""
    overrides = [
        ("/xl/workbook.xml", "spreadsheetml.sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "spreadsheetml.worksheet+xml"),
    ]
    relationships = [("rId1", "worksheet", "worksheets/sheet1.xml")]
    members = {}
    if shared_strings is not None:
        overrides.append(("/xl/sharedStrings.xml", "spreadsheetml.sharedStrings+xml"))
        relationships.append(("rId2", "sharedStrings", "sharedStrings.xml"))
        members["xl/sharedStrings.xml"] = b'<sst xmlns="%s">%s</sst>' % (MAIN.encode(), shared_strings)
    members["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{part}" ContentType="application/vnd.openxmlformats-officedocument.{kind}"/>'
            for part, kind in overrides
        )
        + "</Types>"
    )
    members["_rels/.rels"] = (
        f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" Type="{TYPES}/officeDocument" '
        f'Target="xl/workbook.xml"/></Relationships>'
    )
    members["xl/workbook.xml"] = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{TYPES}"><sheets><sheet name="Парақ1" sheetId="1" r:id="rId1"/>'
        f"</sheets></workbook>"
    )
    members["xl/_rels/workbook.xml.rels"] = (
        f'<Relationships xmlns="{RELATIONSHIPS}">'
        + "".join(
            f'<Relationship Id="{id_}" Type="{TYPES}/{kind}" Target="{target}"/>' for id_, kind, target in relationships
        )
        + "</Relationships>"
    )
    members["xl/worksheets/sheet1.xml"] = f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_rows}</sheetData></worksheet>'
    return zipped(members)


def string_cells(*indexes):
    return (
        '<row r="1">'
        + "".join(f'<c r="{chr(65 + at)}1" t="s"><v>{index}</v></c>' for at, index in enumerate(indexes))
        + "</row>"
    )


def shared_strings_bomb(size=49_000_000, refer_to_last=True, noise=0.01):
    """The workbook of issue 15: a heading «Аты» and then millions of empty shared strings (about ``size`` bytes
    unpacked). Its one row shows the first string and, when ``refer_to_last``, the last one, so whoever shows the
    row must read the whole table. A little more ``noise`` packs it under 100 times, past the repository check's
    own test of the zip (about 800 KB at 0.03)."""
    empties, count = repeated(b"<si/>", size, noise)
    cells = string_cells(0, count) if refer_to_last else string_cells(0)
    return xlsx(cells, "<si><t>Аты</t></si>".encode() + empties)


def docx_bomb(size=48_000_000, element=b"<w:p/>", before=""):
    """A .docx whose body is ``before`` (XML) and then millions of empty ``element``s (about ``size`` bytes)."""
    empties, _count = repeated(element, size)
    document = f'<w:document xmlns:w="{W}"><w:body>{before}'.encode() + empties + b"</w:body></w:document>"
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/></Types>'
    )
    return zipped({"[Content_Types].xml": types, "word/document.xml": document})


def ods_rows_bomb(size=40_000_000, heading=False):
    """An .ods whose first sheet is millions of empty rows, each written out, after a ``heading`` row «Аты»."""
    empties, _count = repeated(b"<table:table-row/>", size, noise=0.02)
    first = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Аты</text:p></table:table-cell>'
        "</table:table-row>"
    )
    start = f'<office:document-content {ODF}><office:body><office:spreadsheet><table:table table:name="Парақ1">'
    end = b"</table:table></office:spreadsheet></office:body></office:document-content>"
    content = (start + (first if heading else "")).encode() + empties + end
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")  # stored, as ODF asks
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
