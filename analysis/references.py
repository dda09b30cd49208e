"""The references of СӨЖ 4 as a list in the course's style (ГОСТ Р 7.0.5-2008 or APA 7), sorted as that style wants,
and a course's reading-list entry turned into a reference the student can add and correct.

An entry is the dict ``analysis.data`` describes (``kind`` book, article or web; ``language`` kk, ru or en). The
language the source is written in decides the fixed words (page abbreviations, "[Электронный ресурс]", "n.d."),
not the reader's language: they are bibliographic conventions, not interface text, so nothing here is translated.

Authors are one a line (";" separates them too): "Surname I.O.", "Surname I. O.", "Surname, I.O.", "Surname, IO",
"Surname, Given Names" or "I.O. Surname", in Cyrillic (Kazakh letters included) or Latin; a line that is none of
these (an organisation) is kept as written.

ГОСТ Р 7.0.5-2008, as Kazakhstan's universities write it:

- Areas are separated by ". – " (an en dash with spaces); the place and the publisher as "Город: Издательство".
- One to three authors: the first is the heading ("Фамилия И.О."); with two or three, the statement of
  responsibility after the title repeats all of them ("/ И.О. Фамилия, И.О. Фамилия"); with one, there is none.
  Four or more: no heading, the title first and "/ И.О. Фамилия [и др.]" ("[т.б.]", "[et al.]"). An organisation
  is never a heading: it is named after the title ("/ Организация").
- A book: "Фамилия И.О. Заглавие. – Город: Издательство, 2019. – 123 с." ("б." in Kazakh, "p." in English).
- An article: "Фамилия И.О. Заглавие // Журнал. – 2020. – Т. 5, № 2. – С. 10–20." ("Б." in Kazakh; "Vol. 5,
  No. 2. – P. 10–20." in English).
- A web page is a part of its site, so the site follows "//" as an article's journal does: "Фамилия И.О. Заглавие
  [Электронный ресурс] // Сайт. – 2024. – URL: https://… (дата обращения: 01.02.2024)." A book or an article with
  an address ends with the same URL area, without "[Электронный ресурс]".
- Whatever is missing is left out with its punctuation; a bare address (no access date) takes no full stop after it,
  so that a copied address stays whole.
- Sorted by the first element (the heading's surname, or the title): Cyrillic sources first, in Kazakh alphabetical
  order (Russian letters take their places in it), then Latin ones.

APA 7:

- Up to 20 authors as "Surname, I. O.", "&" before the last in every language (as Russian-language APA guides do);
  with 21 or more, the first 19, ". . ." and the last. An organisation as written. No author: the title leads.
- No year: "(n.d.)", "(б. г.)" in Russian, "(ж. ж.)" in Kazakh.
- A book: "Surname, I. O., & Surname, I. (2019). Title. Publisher." — the title in italics.
- An article: "Surname, I. (2020). Title. Journal, 5(2), 10–20." — the journal and the volume in italics.
- A web page: "Surname, I. (2024). Title. Site. URL" — the title in italics, the site left out when it is the author;
  with an access date, "Retrieved February 1, 2024, from URL" in English, "Дата обращения: 01.02.2024. URL" in
  Russian and "Қаралған күні: 01.02.2024. URL" in Kazakh.
- Sorted as APA sorts: by the author list as APA writes it, first author's surname first (so one author's works come
  before the works they wrote with others), then the year ("n.d." first), then the title; no author: by the title.
  Cyrillic sources first, as in ГОСТ, because the names are not transliterated.

Plain strings are for the snapshot; the ``_html`` variants mark APA's italics with ``<i>`` and escape the rest.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from accounts.i18n import kazakh_sort_key
from analysis.data import REFERENCE_FIELDS, Kind

GOST, APA = "gost", "apa"

WORDS = {
    "kk": {"pages": "б.", "page": "Б.", "volume": "Т.", "issue": "№", "others": "[т.б.]",
           "resource": "[Электрондық ресурс]", "accessed": "қаралған күні", "no_date": "ж. ж.",
           "retrieved": "Қаралған күні: {date}. {url}"},
    "ru": {"pages": "с.", "page": "С.", "volume": "Т.", "issue": "№", "others": "[и др.]",
           "resource": "[Электронный ресурс]", "accessed": "дата обращения", "no_date": "б. г.",
           "retrieved": "Дата обращения: {date}. {url}"},
    "en": {"pages": "p.", "page": "P.", "volume": "Vol.", "issue": "No.", "others": "[et al.]",
           "resource": "[Electronic resource]", "accessed": "accessed", "no_date": "n.d.",
           "retrieved": "Retrieved {date}, from {url}"},
}  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")  # fmt: skip
MAX_APA_AUTHORS = 20

_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOWER = "a-zа-яёәғқңөұүһі"
_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_SURNAME = rf"[{_UPPER}][{_LOWER}{_UPPER}'’]*(?:-[{_UPPER}{_LOWER}][{_LOWER}{_UPPER}'’]*)*"
_INITIAL = rf"[{_UPPER}][{_LOWER}]?\."
_INITIALS = rf"{_INITIAL}(?:\s*-?\s*{_INITIAL}){{0,2}}"
# One author at a position of a text: "Surname I.O." / "Surname, I. O." or "I.O. Surname".
_AUTHOR = re.compile(
    rf"(?P<surname>{_SURNAME})\s*,?\s*(?P<initials>{_INITIALS})"
    rf"|(?P<initials_first>{_INITIALS})\s*(?P<surname_last>{_SURNAME})(?![{_LOWER}{_UPPER}.])"
)
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:[,&]|\band\b|\bи\b|\bжәне\b)?\s*")
# Forms only a whole line may take: "Surname, IO" and "Surname, Given Names".
_BARE_INITIALS = re.compile(rf"(?P<surname>{_SURNAME}),\s*(?P<letters>[{_UPPER}]{{1,3}})")
_GIVEN_NAME = rf"[{_UPPER}][{_LOWER}]+"
_GIVEN_NAMES = re.compile(rf"(?P<surname>{_SURNAME}),\s*(?P<names>{_GIVEN_NAME}(?:[\s-]+{_GIVEN_NAME})*)")

_AREA = re.compile(r"\.\s*[-–—]\s*")
_YEAR = re.compile(r"\[?((?:1[5-9]|20)\d\d)\]?")
_ANY_YEAR = re.compile(r"(?<!\d)((?:1[89]|20)\d\d)(?!\d)")
_PAGES = re.compile(
    r"(?:(?:[СсБбPp]|pp|стр|бет)\.\s*)?(\d+(?:\s*[-–—]\s*\d+)?)\s*(?:с|б|p|pp|стр|бет|pages)?\.?", re.IGNORECASE
)
_VOLUME = re.compile(r"(?:(?:Т|Vol|V)\.|Том)\s*(\d+)", re.IGNORECASE)
_ISSUE = re.compile(r"(?:№|No\.?|Вып\.)\s*(\d+)", re.IGNORECASE)
_PUBLICATION = re.compile(r"(?P<city>[^:]{1,60}?)\s*:\s*(?P<publisher>.*?)(?:,\s*(?P<year>(?:1[5-9]|20)\d\d))?")
# "Title. City: Publisher" in a title area without dashes (as English references are often written).
_TRAILING_PUBLICATION = re.compile(r"(?P<title>.*\S)\.\s+(?P<city>[^.:\d]{2,40}):\s*(?P<publisher>.+)")
_CITY = re.compile(rf"[{_UPPER}][{_LOWER}.-]*(?:\s[{_UPPER}][{_LOWER}.-]*){{0,2}}")
_RANGE = re.compile(r"(?<=\d)\s*[-–—]\s*(?=\d)")
_SPACED_INITIAL = re.compile(r"\.(?=[^\s.-])")


@dataclass(frozen=True)
class Author:
    """An author as a surname and initials ("И.О."), or, when the line is no person's name, as written."""

    surname: str
    initials: str
    written: str

    @property
    def is_person(self):
        return bool(self.initials)

    @property
    def gost_heading(self):
        return f"{self.surname} {self.initials}" if self.is_person else self.written

    @property
    def gost_statement(self):
        return f"{self.initials} {self.surname}" if self.is_person else self.written

    @property
    def apa(self):
        return f"{self.surname}, {_SPACED_INITIAL.sub('. ', self.initials)}" if self.is_person else self.written


def _person(match):
    surname = match["surname"] or match["surname_last"]
    initials = re.sub(r"\s+", "", match["initials"] or match["initials_first"])
    return Author(surname, initials, match.group(0))


def _take_authors(text):
    """The authors a text starts with (one or more names with their initials) and the position after them."""
    authors, end = [], 0
    match = _AUTHOR.match(text)
    while match:
        authors.append(_person(match))
        end = match.end()
        match = _AUTHOR.match(text, _AUTHOR_SEPARATOR.match(text, end).end())
    return authors, end


def _one_line_author(line):
    if match := _BARE_INITIALS.fullmatch(line):
        return Author(match["surname"], "".join(f"{letter}." for letter in match["letters"]), line)
    if match := _GIVEN_NAMES.fullmatch(line):
        names = re.split(r"\s+", match["names"])
        initials = "".join("-".join(f"{part[0]}." for part in name.split("-")) for name in names)
        return Author(match["surname"], initials, line)
    return Author("", "", line)


def parse_authors(text):
    """The authors of an entry's ``authors`` text, in order: one a line or between ";", several on one line when the
    whole line is names with initials ("Иванов И.И., Петров П.П."); a line that is no person's name stays whole."""
    authors = []
    for line in re.split(r"[\n;]", str(text or "")):
        line = line.strip().rstrip(",")
        if not line:
            continue
        found, end = _take_authors(line)
        authors.extend(found if found and end == len(line) else [_one_line_author(line)])
    return authors


def _value(entry, field):
    return str(entry.get(field) or "").strip()


def _words(entry):
    return WORDS.get(_value(entry, "language"), WORDS["kk"])


def _end(text):
    """``text`` closed with a full stop unless it already ends with a mark that closes it."""
    return text if text.endswith((".", "?", "!", "…")) else f"{text}."


def _title(entry):
    return _value(entry, "title").rstrip(". ")


def _date(text):
    for parse in (dt.date.fromisoformat, lambda value: dt.datetime.strptime(value, "%d.%m.%Y").date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def _numeric_date(text):
    date = _date(text)
    return date.strftime("%d.%m.%Y") if date else text


def _number(entry, field, pattern):
    """The entry's pages, volume or issue without the words a student may have typed with them ("С.", "Т.", "№")."""
    value = _value(entry, field).rstrip(". ")
    match = pattern.fullmatch(value)
    return _RANGE.sub("–", match[1] if match else value)


def _pages(entry):
    return _number(entry, "pages", _PAGES)


def _prefixed(prefix, value):
    return f"{prefix} {value}" if value[:1].isdigit() else value


# ГОСТ Р 7.0.5-2008


def _gost_authors(authors, words):
    """The heading and the statement of responsibility of ГОСТ Р 7.0.5-2008 for these authors."""
    if len(authors) > 3:
        return "", f"{authors[0].gost_statement} {words['others']}"
    if not authors:
        return "", ""
    if not authors[0].is_person:
        return "", ", ".join(author.gost_statement for author in authors)
    statement = ", ".join(author.gost_statement for author in authors) if len(authors) > 1 else ""
    return authors[0].gost_heading, statement


def _gost_url_area(entry, words):
    url, accessed = _value(entry, "url"), _value(entry, "accessed")
    if not url:
        return ""
    return f"URL: {url} ({words['accessed']}: {_numeric_date(accessed)})" if accessed else f"URL: {url}"


def _gost_areas(entry, words):
    kind, year = _value(entry, "kind"), _value(entry, "year")
    if kind == Kind.BOOK:
        city, publisher = _value(entry, "city").rstrip(".,: "), _value(entry, "container").rstrip(".,: ")
        place = ": ".join(part for part in (city, publisher) if part)
        pages = _pages(entry)
        return [
            ", ".join(part for part in (place, year) if part),
            f"{pages} {words['pages']}" if pages[-1:].isdigit() else pages,
        ]
    if kind == Kind.ARTICLE:
        volume, issue = _number(entry, "volume", _VOLUME), _number(entry, "issue", _ISSUE)
        numbers = [_prefixed(words["volume"], volume), _prefixed(words["issue"], issue)]
        return [year, ", ".join(part for part in numbers if part), _prefixed(words["page"], _pages(entry))]
    return [year]


def _gost(entry):
    words, kind = _words(entry), _value(entry, "kind")
    heading, statement = _gost_authors(parse_authors(entry.get("authors")), words)
    text = _title(entry)
    if kind == Kind.WEB:
        text = f"{text} {words['resource']}".strip()
    if statement:
        text = f"{text} / {statement}".strip()
    text = " ".join(part for part in (heading, text) if part)
    container = _value(entry, "container").rstrip(". ")
    if container and kind != Kind.BOOK:
        text = f"{text} // {container}"
    areas = [area for area in [*_gost_areas(entry, words), _gost_url_area(entry, words)] if area]
    for area in areas:
        text = f"{_end(text)} – {area}"
    bare_url = bool(areas) and areas[-1].startswith("URL:") and not _value(entry, "accessed")
    return [(text if bare_url else _end(text), False)]


# APA 7


def _apa_authors(authors):
    names = [author.apa for author in authors]
    if len(names) > MAX_APA_AUTHORS:
        return ", ".join(names[: MAX_APA_AUTHORS - 1]) + f", . . . {names[-1]}"
    if len(names) > 1:
        return ", ".join(names[:-1]) + f", & {names[-1]}"
    return names[0] if names else ""


def _apa_retrieved(entry, words):
    url, accessed = _value(entry, "url"), _value(entry, "accessed")
    if not url or not accessed:
        return url
    date = _date(accessed)
    if words is WORDS["en"]:
        shown = f"{MONTHS[date.month - 1]} {date.day}, {date.year}" if date else accessed
    else:
        shown = _numeric_date(accessed)
    return words["retrieved"].format(date=shown, url=url)


def _apa_source(entry, authors):
    """What follows the title: the publisher, the journal with its numbers, or the site."""
    kind, container = _value(entry, "kind"), _value(entry, "container").rstrip(". ")
    if kind == Kind.ARTICLE:
        volume, issue, pages = _number(entry, "volume", _VOLUME), _number(entry, "issue", _ISSUE), _pages(entry)
        parts = [(", ".join(part for part in (container, volume) if part), True)]
        if issue:
            parts.append((f"({issue})" if volume or not container else f", ({issue})", False))
        if pages:
            parts.append((f", {pages}" if container or volume or issue else pages, False))
        return parts if parts[0][0] or len(parts) > 1 else []
    if kind == Kind.WEB and len(authors) == 1 and container == authors[0].written:
        return []
    return [(container, False)] if container else []


def _apa(entry):
    words, kind = _words(entry), _value(entry, "kind")
    authors = parse_authors(entry.get("authors"))
    names, title, year = _apa_authors(authors), _title(entry), _value(entry, "year")
    title_italic = kind != Kind.ARTICLE
    date = f"({year or words['no_date']})."
    if names:
        parts = [(f"{_end(names)} {date}", False)]
        if title:
            parts += [(" ", False), (title, title_italic), (_end(title)[len(title) :], False)]
    else:
        parts = [(title, title_italic), (f"{_end(title)[len(title) :]} {date}".lstrip(), False)]
    source = _apa_source(entry, authors)
    if source:
        parts += [(" ", False), *source, (".", False)]
    retrieved = _apa_retrieved(entry, words)
    if retrieved:
        parts.append((f" {retrieved}", False))
    return [part for part in parts if part[0]]


# The list


def _parts(entry, style):
    return _apa(entry) if style == APA else _gost(entry)


def format_reference(entry, *, style):
    """One entry as the style writes it, in its own language's fixed words (plain text)."""
    return "".join(text for text, _italic in _parts(entry, style))


def format_reference_html(entry, *, style):
    """One entry as ``format_reference`` writes it, escaped for HTML, APA's italic parts in ``<i>…</i>``."""
    pieces = [
        format_html("<i>{}</i>", text) if italic else conditional_escape(text) for text, italic in _parts(entry, style)
    ]
    return SafeString("".join(pieces))


def _script(text):
    """0 for text whose first letter is Cyrillic, 1 for Latin, 2 for anything else."""
    letter = next((character for character in text if character.isalpha()), "")
    if "\u0400" <= letter <= "\u04ff":
        return 0
    return 1 if letter and letter <= "\u024f" else 2


def _letters_first(text):
    return re.sub(r"^[\W_]+", "", text)


def _sort_key(entry, style):
    formatted = _letters_first(format_reference(entry, style=style))
    if style != APA:
        return (_script(formatted), kazakh_sort_key(formatted))
    authors = _apa_authors(parse_authors(entry.get("authors")))
    first = _letters_first(authors or _title(entry))
    year = _value(entry, "year")
    return (_script(first), kazakh_sort_key(first), year, kazakh_sort_key(_title(entry)), kazakh_sort_key(formatted))


def sorted_references(entries, style):
    """The entries in the order of the style's list (see the module's docstring)."""
    return sorted(entries, key=lambda entry: _sort_key(entry, style))


def formatted_references(entries, *, style):
    """The entries formatted in ``style`` ("gost" or "apa") and sorted as it wants, as plain strings."""
    return [format_reference(entry, style=style) for entry in sorted_references(entries, style)]


def formatted_references_html(entries, *, style):
    """As ``formatted_references``, each string escaped for HTML with APA's italics marked."""
    return [format_reference_html(entry, style=style) for entry in sorted_references(entries, style)]


# The course's reading list


def guessed_language(text):
    """kk when the text has a letter only Kazakh uses, ru for other Cyrillic, en for Latin; "" without letters."""
    if any(letter in _KAZAKH_LETTERS for letter in text):
        return "kk"
    if re.search("[а-яёА-ЯЁ]", text):
        return "ru"
    return "en" if re.search("[a-zA-Z]", text) else ""


def _language_of_address(url):
    parts = urlsplit(url)
    segment = parts.path.strip("/").split("/")[0].lower()
    return {"ru": "ru", "rus": "ru", "kk": "kk", "kz": "kk", "kaz": "kk"}.get(segment, "en" if parts.netloc else "")


def _host(url):
    host = urlsplit(url).netloc.lower()
    return host.removeprefix("www.") or url


def _read_area(entry, area):
    """Fill what one area of a reference written in ГОСТ's way says (publication, year, numbers or pages)."""
    if entry["kind"] == Kind.ARTICLE and not entry["container"]:
        entry["container"] = area
    elif match := _YEAR.fullmatch(area):
        entry["year"] = entry["year"] or match[1]
    elif match := _PAGES.fullmatch(area):
        entry["pages"] = match[1]
    elif entry["kind"] == Kind.ARTICLE and (_VOLUME.search(area) or _ISSUE.search(area)):
        volume, issue = _VOLUME.search(area), _ISSUE.search(area)
        entry["volume"], entry["issue"] = volume[1] if volume else "", issue[1] if issue else ""
    elif entry["kind"] == Kind.BOOK and not entry["city"] and (match := _PUBLICATION.fullmatch(area)):
        entry |= {"city": match["city"].strip(), "container": match["publisher"].strip(" ,")}
        entry["year"] = entry["year"] or match["year"] or ""


def _split_trailing_publication(entry, title):
    match = _TRAILING_PUBLICATION.fullmatch(title)
    if entry["kind"] != Kind.BOOK or entry["city"] or not match or not _CITY.fullmatch(match["city"].strip()):
        return title
    _read_area(entry, f"{match['city'].strip()}: {match['publisher']}")
    return match["title"]


def _entry_from_text(text, url):
    entry = dict.fromkeys(REFERENCE_FIELDS, "") | {"kind": Kind.BOOK, "url": url}
    authors, end = _take_authors(text)
    rest = text[end:].strip()
    if not (authors and text[end : end + 1].isspace() and rest):
        authors, rest = [], text
    entry["authors"] = "\n".join(author.gost_heading for author in authors)
    if "//" in rest:
        entry["kind"] = Kind.ARTICLE
        title, source = rest.split("//", 1)
        areas = [title, *_AREA.split(source.strip())]
    else:
        areas = _AREA.split(rest)
    for area in areas[1:]:
        _read_area(entry, area.strip().rstrip("."))
    title = _split_trailing_publication(entry, areas[0].strip().rstrip(". "))
    if not entry["year"] and (match := _ANY_YEAR.search(text)):
        entry["year"] = match[1]
    entry["title"] = title.strip()
    entry["language"] = guessed_language(title) or guessed_language(text) or _language_of_address(url) or "kk"
    return entry


def _field(reference, name):
    value = reference.get(name) if isinstance(reference, dict) else getattr(reference, name, "")
    return str(value or "")


def reading_list_entry(reference):
    """A reference (the ``analysis.data`` shape) made from an entry of the course's reading list, its free text read
    as ГОСТ writes it (authors, title, "– City: Publisher, year. – pages"), its language guessed from its letters.

    An entry of the databases or the internet, or one with an address and no text, is a web page titled by its text
    or by the address's host. Best effort: what cannot be read stays in the title for the student to correct; an
    edition ("2-бас.", "2-е изд.") is left out, as an entry has no field for it.
    """
    text = re.sub(r"\s+", " ", _field(reference, "text")).strip()
    url, group = _field(reference, "url").strip(), _field(reference, "group")
    if (url and not text) or group in ("databases", "internet"):
        entry = dict.fromkeys(REFERENCE_FIELDS, "") | {"kind": Kind.WEB, "url": url}
        entry["title"] = text.rstrip(". ") or _host(url)
        entry["language"] = guessed_language(text) or _language_of_address(url) or "kk"
        return entry
    return _entry_from_text(text, url)
