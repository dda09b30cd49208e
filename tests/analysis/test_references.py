"""References in ГОСТ Р 7.0.5-2008 and APA 7: each kind in each source language against strings written by hand, the
order of the list, how authors are read, and the course's reading list turned into references."""

import json
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from analysis.data import REFERENCE_FIELDS
from analysis.references import (
    Author,
    format_reference,
    format_reference_html,
    formatted_references,
    formatted_references_html,
    parse_authors,
    reading_list_entry,
    sorted_references,
)
from coursework.models import Reference


def entry(**fields):
    return dict.fromkeys(REFERENCE_FIELDS, "") | fields


def book(**fields):
    return entry(kind="book", **fields)


def article(**fields):
    return entry(kind="article", **fields)


def web(**fields):
    return entry(kind="web", **fields)


SARYBAYEVA = book(
    language="kk",
    authors="Сарыбаева И.С.",
    year="2018",
    title="Әлеуметтік жұмыстың әдістері мен технологиясы",
    container="Қазақ университеті",
    city="Алматы",
    pages="203",
)
IVANOV_PETROV = book(
    language="ru",
    authors="Иванов И.И.\nПетров П.П.",
    year="2019",
    title="Социальная работа с семьёй",
    container="Наука",
    city="Москва",
    pages="123",
)
FRANKEL = book(
    language="en",
    authors="Frankel A.J.\nGelman S.R.\nPastor D.K.",
    year="2019",
    title="Case Management: An Introduction to Concepts and Skills",
    container="Oxford University Press",
    city="Oxford",
    pages="214",
)
ALIYEVA = article(
    language="kk",
    authors="Әлиева А.Б.",
    year="2020",
    title="Кейс-менеджмент әдісі",
    container="ҚазҰУ Хабаршысы",
    volume="5",
    issue="2",
    pages="10-20",
)
PETROV_IVANOV = article(
    language="ru",
    authors="Петров П.П.\nИванов И.И.",
    year="2021",
    title="Модели кейс-менеджмента",
    container="Социальная политика",
    volume="12",
    issue="4",
    pages="33–41",
)
BLUNDO = article(
    language="en",
    authors="Blundo R.G.",
    year="2016",
    title="Solution-focused case management",
    container="Professional Case Management",
    volume="21",
    issue="3",
    pages="112–120",
)
ADILET = web(
    language="ru",
    year="2024",
    title="Социальная защита населения",
    container="Adilet",
    url="https://adilet.zan.kz/rus",
    accessed="2025-09-01",
)
EGEMEN = web(
    language="kk",
    authors="Оразбекова Г.Қ.",
    year="2023",
    title="Әлеуметтік қызметкердің рөлі",
    container="Egemen.kz",
    url="https://egemen.kz/article/1",
    accessed="2024-03-15",
)
NASW = web(
    language="en",
    authors="National Association of Social Workers",
    year="2024",
    title="Case management standards",
    container="National Association of Social Workers",
    url="https://www.socialworkers.org/standards",
    accessed="2024-02-01",
)
FOUR_AUTHORS = {"authors": "Абаев А.А.\nБеков Б.Б.\nВасильев В.В.\nГалиев Г.Г.", "year": "2017", "city": "Алматы"}


# ГОСТ Р 7.0.5-2008


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            SARYBAYEVA,
            "Сарыбаева И.С. Әлеуметтік жұмыстың әдістері мен технологиясы. – Алматы: Қазақ университеті, 2018. – "
            "203 б.",
        ),
        (
            IVANOV_PETROV,
            "Иванов И.И. Социальная работа с семьёй / И.И. Иванов, П.П. Петров. – Москва: Наука, 2019. – 123 с.",
        ),
        (
            FRANKEL,
            "Frankel A.J. Case Management: An Introduction to Concepts and Skills / A.J. Frankel, S.R. Gelman, "
            "D.K. Pastor. – Oxford: Oxford University Press, 2019. – 214 p.",
        ),
    ],
    ids=["kk", "ru", "en"],
)
def test_gost_writes_a_book_in_its_own_language(reference, expected):
    assert format_reference(reference, style="gost") == expected


@pytest.mark.parametrize(
    ("language", "title", "expected"),
    [
        ("kk", "Әлеуметтік жұмыс негіздері", "Әлеуметтік жұмыс негіздері / А.А. Абаев [т.б.]. – Алматы, 2017."),
        ("ru", "Основы социальной работы", "Основы социальной работы / А.А. Абаев [и др.]. – Алматы, 2017."),
        ("en", "Social work basics", "Social work basics / А.А. Абаев [et al.]. – Алматы, 2017."),
    ],
)
def test_gost_begins_a_work_of_four_authors_with_its_title_and_names_the_first(language, title, expected):
    assert format_reference(book(language=language, title=title, **FOUR_AUTHORS), style="gost") == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (ALIYEVA, "Әлиева А.Б. Кейс-менеджмент әдісі // ҚазҰУ Хабаршысы. – 2020. – Т. 5, № 2. – Б. 10–20."),
        (
            PETROV_IVANOV,
            "Петров П.П. Модели кейс-менеджмента / П.П. Петров, И.И. Иванов // Социальная политика. – 2021. – "
            "Т. 12, № 4. – С. 33–41.",
        ),
        (
            BLUNDO,
            "Blundo R.G. Solution-focused case management // Professional Case Management. – 2016. – "
            "Vol. 21, No. 3. – P. 112–120.",
        ),
    ],
    ids=["kk", "ru", "en"],
)
def test_gost_writes_an_article_in_its_own_language(reference, expected):
    assert format_reference(reference, style="gost") == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            EGEMEN,
            "Оразбекова Г.Қ. Әлеуметтік қызметкердің рөлі [Электрондық ресурс] // Egemen.kz. – 2023. – "
            "URL: https://egemen.kz/article/1 (қаралған күні: 15.03.2024).",
        ),
        (
            ADILET,
            "Социальная защита населения [Электронный ресурс] // Adilet. – 2024. – "
            "URL: https://adilet.zan.kz/rus (дата обращения: 01.09.2025).",
        ),
        (
            web(language="en", title="Case management standards", url="https://www.socialworkers.org/standards",
                accessed="2024-02-01"),
            "Case management standards [Electronic resource]. – URL: https://www.socialworkers.org/standards "
            "(accessed: 01.02.2024).",
        ),
    ],
    ids=["kk", "ru", "en"],
)  # fmt: skip
def test_gost_writes_a_web_page_in_its_own_language(reference, expected):
    assert format_reference(reference, style="gost") == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (book(language="ru", authors="Иванов И.И.", title="Заглавие", container="Наука", city="Москва"),
         "Иванов И.И. Заглавие. – Москва: Наука."),
        (book(language="kk", authors="Иванов И.И.", title="Тақырып", city="Алматы", year="2019"),
         "Иванов И.И. Тақырып. – Алматы, 2019."),
        (book(language="ru", title="Заглавие", container="Наука", year="2019", pages="50"),
         "Заглавие. – Наука, 2019. – 50 с."),
        (book(language="en", title="Why case management?", year="2019"), "Why case management? – 2019."),
        (book(language="ru", title="Заглавие."), "Заглавие."),
        (article(language="ru", title="Статья", container="Журнал", year="2020", pages="5-9"),
         "Статья // Журнал. – 2020. – С. 5–9."),
        (article(language="kk", title="Мақала", container="Журнал", issue="3"), "Мақала // Журнал. – № 3."),
        (web(language="ru", title="Страница", url="https://example.kz/a"),
         "Страница [Электронный ресурс]. – URL: https://example.kz/a"),
    ],
    ids=["no-year-or-pages", "city-only", "publisher-only", "title-with-question", "title-with-full-stop",
         "article-without-volume", "article-issue-only", "web-without-access-date"],
)  # fmt: skip
def test_gost_leaves_out_what_is_missing_with_its_punctuation(reference, expected):
    assert format_reference(reference, style="gost") == expected


def test_gost_names_an_organisation_after_the_title_and_never_as_the_heading():
    reference = book(
        language="kk",
        authors="Қазақстан Республикасының Еңбек министрлігі",
        title="Арнаулы әлеуметтік қызметтер стандарттары",
        city="Астана",
        year="2021",
    )
    assert format_reference(reference, style="gost") == (
        "Арнаулы әлеуметтік қызметтер стандарттары / Қазақстан Республикасының Еңбек министрлігі. – Астана, 2021."
    )


def test_gost_reads_pages_volume_and_issue_typed_with_their_abbreviations():
    reference = article(
        language="ru", title="Статья", container="Журнал", year="2020", volume="Т. 5", issue="№ 2", pages="С. 10 - 20"
    )
    assert format_reference(reference, style="gost") == "Статья // Журнал. – 2020. – Т. 5, № 2. – С. 10–20."
    assert format_reference(book(language="en", title="Book", pages="p. 230"), style="gost") == "Book. – 230 p."


# APA 7


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            FRANKEL,
            "Frankel, A. J., Gelman, S. R., & Pastor, D. K. (2019). Case Management: An Introduction to Concepts and "
            "Skills. Oxford University Press.",
        ),
        (
            book(language="en", authors="Smith J.\nJones A.B.", year="2020", title="Working with families",
                 container="Routledge", city="London"),
            "Smith, J., & Jones, A. B. (2020). Working with families. Routledge.",
        ),
        (BLUNDO, "Blundo, R. G. (2016). Solution-focused case management. Professional Case Management, 21(3), "
                 "112–120."),
        (
            NASW,
            "National Association of Social Workers. (2024). Case management standards. Retrieved February 1, 2024, "
            "from https://www.socialworkers.org/standards",
        ),
        (
            web(language="en", authors="Brown T.", year="2023", title="Caseloads", container="Social Work Today",
                url="https://example.org/caseloads"),
            "Brown, T. (2023). Caseloads. Social Work Today. https://example.org/caseloads",
        ),
    ],
    ids=["book", "book-two-authors", "article", "web-by-its-site", "web-without-access-date"],
)  # fmt: skip
def test_apa_writes_english_sources(reference, expected):
    assert format_reference(reference, style="apa") == expected


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (
            IVANOV_PETROV,
            "Иванов, И. И., & Петров, П. П. (2019). Социальная работа с семьёй. Наука.",
        ),
        (
            PETROV_IVANOV,
            "Петров, П. П., & Иванов, И. И. (2021). Модели кейс-менеджмента. Социальная политика, 12(4), 33–41.",
        ),
        (
            ADILET,
            "Социальная защита населения. (2024). Adilet. Дата обращения: 01.09.2025. https://adilet.zan.kz/rus",
        ),
        (
            SARYBAYEVA,
            "Сарыбаева, И. С. (2018). Әлеуметтік жұмыстың әдістері мен технологиясы. Қазақ университеті.",
        ),
        (
            EGEMEN | {"year": ""},
            "Оразбекова, Г. Қ. (ж. ж.). Әлеуметтік қызметкердің рөлі. Egemen.kz. Қаралған күні: 15.03.2024. "
            "https://egemen.kz/article/1",
        ),
    ],
    ids=["ru-book", "ru-article", "ru-web-without-author", "kk-book", "kk-web-without-year"],
)
def test_apa_writes_russian_and_kazakh_sources_with_their_own_words(reference, expected):
    assert format_reference(reference, style="apa") == expected


def test_apa_writes_no_date_in_the_sources_language():
    assert format_reference(book(language="en", authors="Smith J.", title="Title"), style="apa") == (
        "Smith, J. (n.d.). Title."
    )
    assert format_reference(book(language="ru", authors="Иванов И.И.", title="Заглавие"), style="apa") == (
        "Иванов, И. И. (б. г.). Заглавие."
    )


def test_apa_lists_twenty_authors_and_shortens_more_to_nineteen_and_the_last():
    twenty = "\n".join(f"Author{letter} A." for letter in "ABCDEFGHIJKLMNOPQRST")
    written = format_reference(book(language="en", authors=twenty, year="2020", title="T"), style="apa")
    assert written.startswith("AuthorA, A., AuthorB, A., ")
    assert ", & AuthorT, A. (2020). T." in written
    many = twenty + "\nAuthorU A.\nAuthorV A."
    written = format_reference(book(language="en", authors=many, year="2020", title="T"), style="apa")
    assert "AuthorS, A., . . . AuthorV, A. (2020). T." in written
    assert "AuthorT" not in written
    assert "&" not in written


def test_apa_html_marks_the_italic_parts_and_escapes_the_rest():
    assert format_reference_html(BLUNDO, style="apa") == (
        "Blundo, R. G. (2016). Solution-focused case management. <i>Professional Case Management, 21</i>(3), 112–120."
    )
    risky = book(language="en", authors="Smith J.", year="2020", title="Risk & <Resilience>", container="A&B Press")
    assert format_reference_html(risky, style="apa") == (
        "Smith, J. (2020). <i>Risk &amp; &lt;Resilience&gt;</i>. A&amp;B Press."
    )
    assert (
        format_reference_html(risky, style="gost") == "Smith J. Risk &amp; &lt;Resilience&gt;. – A&amp;B Press, 2020."
    )


def test_a_web_page_without_an_author_leads_with_its_title_in_italics():
    assert format_reference_html(ADILET, style="apa") == (
        "<i>Социальная защита населения</i>. (2024). Adilet. Дата обращения: 01.09.2025. https://adilet.zan.kz/rus"
    )


# The order of the list


def headed(authors, title="Заглавие", language="ru", year="2020"):
    return book(language=language, authors=authors, title=title, year=year)


def test_gost_sorts_cyrillic_sources_in_kazakh_alphabetical_order_then_latin_ones():
    entries = [
        headed("Smith J.", "Title", "en"),
        headed("Юсупов Ю.Ю."),
        headed("Ғалымов Ғ.Ғ.", language="kk"),
        headed("Adams A.", "Title", "en"),
        headed("Ілиясов І.І.", language="kk"),
        headed("Гусев Г.Г."),
        headed("Әлиев Ә.Ә.", language="kk"),
        headed("Абаев А.А."),
        book(language="kk", title="Қоғамдық жұмыс", **FOUR_AUTHORS),
        headed("Кенжеев К.К."),
    ]
    firsts = [text.split(" ")[0] for text in formatted_references(entries, style="gost")]
    assert firsts == [
        "Абаев",
        "Әлиев",
        "Гусев",
        "Ғалымов",
        "Кенжеев",
        "Қоғамдық",
        "Ілиясов",
        "Юсупов",
        "Adams",
        "Smith",
    ]


def test_gost_sorts_an_entry_without_an_author_by_its_title_among_the_surnames():
    entries = [headed("Петров П.П."), book(language="ru", title="Методика"), headed("Абаев А.А.")]
    assert [text.split(" ")[0] for text in formatted_references(entries, style="gost")] == [
        "Абаев",
        "Методика.",
        "Петров",
    ]


def test_apa_sorts_by_the_first_authors_surname_then_the_year():
    entries = [
        headed("Smith J.", "Later", "en", "2020"),
        headed("Smith J.\nAdams B.", "With a colleague", "en", "2015"),
        headed("Smith J.", "Earlier", "en", "2018"),
        headed("Adams A.", "Adams", "en", "2021"),
        book(language="en", title="Guide to case management", year="2019"),
        headed("Smith J.", "Undated", "en", ""),
        headed("Бекова Б.Б.", "Кітап", "kk", "2022"),
    ]
    titles = [reference["title"] for reference in sorted_references(entries, "apa")]
    assert titles == ["Кітап", "Adams", "Guide to case management", "Undated", "Earlier", "Later", "With a colleague"]


def test_the_html_list_is_in_the_same_order_as_the_plain_one():
    entries = [FRANKEL, ADILET, SARYBAYEVA, BLUNDO, EGEMEN]
    for style in ("gost", "apa"):
        plain = formatted_references(entries, style=style)
        html = formatted_references_html(entries, style=style)
        assert [unescape(text.replace("<i>", "").replace("</i>", "")) for text in html] == plain


# Authors


@pytest.mark.parametrize(
    "written",
    ["Иванов И.О.", "Иванов И. О.", "Иванов, И.О.", "Иванов, И. О.", "Иванов, ИО", "И.О. Иванов", "  Иванов И.О. "],
)
def test_an_author_is_read_in_each_usual_form(written):
    (author,) = parse_authors(written)
    assert (author.surname, author.initials) == ("Иванов", "И.О.")
    assert author.gost_heading == "Иванов И.О."
    assert author.gost_statement == "И.О. Иванов"
    assert author.apa == "Иванов, И. О."


def test_kazakh_letters_hyphens_and_given_names_are_read():
    assert [(author.surname, author.initials) for author in parse_authors("Құрманғалиева Ә.Ө.")] == [
        ("Құрманғалиева", "Ә.Ө.")
    ]
    assert [(author.surname, author.initials) for author in parse_authors("Салтыков-Щедрин М.Е.")] == [
        ("Салтыков-Щедрин", "М.Е.")
    ]
    assert [(author.surname, author.initials) for author in parse_authors("O’Brien, Mary Ann")] == [("O’Brien", "M.A.")]


def test_authors_are_separated_by_lines_semicolons_or_commas_between_whole_names():
    authors = parse_authors("Иванов И.И., Петров П.П.\nSmith J.; Jones A.B.\n\n")
    assert [author.gost_heading for author in authors] == ["Иванов И.И.", "Петров П.П.", "Smith J.", "Jones A.B."]


def test_an_organisation_stays_as_written():
    assert parse_authors("World Health Organization") == [
        Author(surname="", initials="", written="World Health Organization")
    ]
    (organisation,) = parse_authors("Қазақстан Республикасы Білім министрлігі")
    assert not organisation.is_person
    assert organisation.gost_heading == organisation.apa == "Қазақстан Республикасы Білім министрлігі"


# The course's reading list


def seed_reading_list():
    course = json.loads((Path(settings.BASE_DIR) / "fixtures" / "case_management.json").read_text(encoding="utf-8"))
    return [Reference(text=item["text"], url=item["url"], group=item["group"]) for item in course["references"]]


def test_every_entry_of_the_seed_reading_list_becomes_a_reference_of_the_expected_kind():
    references = seed_reading_list()
    assert len(references) == 17
    for reference in references:
        made = reading_list_entry(reference)
        assert set(made) == set(REFERENCE_FIELDS)
        assert made["title"], reference.text
        if reference.group == "literature":
            assert made["kind"] == "book", reference.text
            assert len(made["year"]) == 4, reference.text
        else:
            assert made["kind"] == "web", reference.url
            assert made["url"] == reference.url
        for style in ("gost", "apa"):
            assert format_reference(made, style=style)


def test_a_kazakh_textbook_of_the_reading_list_is_read_field_by_field():
    made = reading_list_entry(
        Reference(
            text="Сарыбаева И.С. Әлеуметтік жұмыстың әдістері мен технологиясы: оқу құралы. - 2-бас., толықт. - "
            "Алматы: Қазақ университеті, 2018. – 203 б."
        )
    )
    assert made == entry(
        kind="book",
        language="kk",
        authors="Сарыбаева И.С.",
        title="Әлеуметтік жұмыстың әдістері мен технологиясы: оқу құралы",
        city="Алматы",
        container="Қазақ университеті",
        year="2018",
        pages="203",
    )


def test_the_reading_lists_other_shapes_are_read():
    books = [reading_list_entry(reference) for reference in seed_reading_list() if reference.group == "literature"]
    by_author = {made["authors"].split("\n")[0]: made for made in books}
    russian = by_author["Аубакирова Н.А."]  # its publisher's name has a Kazakh letter; its title is Russian
    assert (russian["language"], russian["city"], russian["container"], russian["year"], russian["pages"]) == (
        "ru", "Костанай", "КРУ им.А.Байтұрсынова", "2020", "92",
    )  # fmt: skip
    assert by_author["Авсыдыкова К.А."]["authors"] == "Авсыдыкова К.А.\nЧинасилова А.М."
    assert by_author["Джамалиева Г.Ж."]["authors"] == "Джамалиева Г.Ж.\nНығметова Ж.Т."
    ptsd = by_author["Ускембаева М.А."]  # the year in an area of its own
    assert (ptsd["city"], ptsd["container"], ptsd["year"], ptsd["pages"]) == (
        "Алматы",
        "Қазақ университеті",
        "2020",
        "114",
    )
    assert ptsd["title"].endswith("(«ARASHA» баспанасының жұмыс тәжірибесінен): Практикалық басшылық")
    frankel = by_author["Frankel A.J."]  # "Title. City: Publisher" without a dash, "&" between authors
    assert frankel == entry(
        kind="book",
        language="en",
        authors="Frankel A.J.\nGelman S.R.\nPastor D.K.",
        title="Case Management: An Introduction to Concepts and Skills (4th Ed)",
        city="Oxford",
        container="Oxford University Press",
        year="2019",
        pages="214",
    )
    assert format_reference(by_author["Blundo R.G."], style="gost") == (
        "Blundo R.G. Solution-focused case management. – New York: Springer Publishing Company, 2016. – 230 p."
    )
    decree = by_author[""]
    assert decree["title"].startswith("Қазақстан Республикасы Үкіметінің 2019 жылғы 6 қарашадағы № 831 қаулысы.")
    assert (decree["year"], decree["language"]) == ("2019", "kk")


def test_a_database_or_an_internet_address_becomes_a_web_page():
    journal = reading_list_entry(
        Reference(text="Журнал исследований социальной политики", url="https://jsps.hse.ru/about", group="databases")
    )
    assert journal == entry(
        kind="web", language="ru", title="Журнал исследований социальной политики", url="https://jsps.hse.ru/about"
    )
    site = reading_list_entry(Reference(text="", url="https://adilet.zan.kz/rus", group="internet"))
    assert (site["kind"], site["title"], site["language"]) == ("web", "adilet.zan.kz", "ru")
    site = reading_list_entry(Reference(text="", url="https://www.socialworkers.org", group="internet"))
    assert (site["title"], site["language"]) == ("socialworkers.org", "en")


def test_an_article_of_a_reading_list_is_read_after_its_double_slash():
    made = reading_list_entry(
        Reference(text="Петров П.П. Модели кейс-менеджмента // Социальная политика. – 2021. – Т. 12, № 4. – С. 33–41.")
    )
    assert made == entry(
        kind="article",
        language="ru",
        authors="Петров П.П.",
        title="Модели кейс-менеджмента",
        container="Социальная политика",
        year="2021",
        volume="12",
        issue="4",
        pages="33–41",
    )


@pytest.mark.parametrize("text", ["", "   ", "—", "//", ". – . –", "Иванов И.И.", "2019", "http://x", "::::"])
def test_a_reading_list_entry_of_any_shape_gives_a_reference_without_failing(text):
    made = reading_list_entry(Reference(text=text, url=""))
    assert set(made) == set(REFERENCE_FIELDS)
    assert made["language"] in ("kk", "ru", "en")
    assert made["kind"] in ("book", "article", "web")
