"""The course document (coursework/views/readings.py and the course page): the instructors' editor of the provenance
and the reading list, then the document as everyone on the course reads it."""

import pytest
from django.urls import reverse

from coursework.forms.readings import PREFIX, reference_formset
from coursework.models import Reference, ReferenceGroup

pytestmark = pytest.mark.django_db

PROVENANCE = {
    "compiler": "Мамытканов Д.К.",
    "department_protocol_number": "11",
    "department_protocol_date": "2025-06-16",
    "faculty_protocol_number": "12",
    "faculty_protocol_date": "2025-06-26",
}


def editor_url(course):
    return reverse("coursework:reading_list", args=[course.pk])


def course_url(course):
    return reverse("grading:course_detail", args=[course.pk])


def editor_data(course, **provenance):
    """What the editor posts when nothing is changed: the provenance, every entry, and the blank rows."""
    formset = reference_formset(course)
    data = {**PROVENANCE, **provenance}
    for name in formset.management_form.fields:
        data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = value.pk if isinstance(value, Reference) else value
    return data


def row(course, position):
    """The index of the editor's row for the entry at ``position``."""
    entries = list(reference_formset(course).queryset)
    return next(index for index, entry in enumerate(entries) if entry.position == position)


# Access first -------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(editor_url(cast.course))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["student", "dept_admin"])
def test_students_and_the_department_admin_are_forbidden(login, cast, who):
    client = login(getattr(cast, who))
    assert client.get(editor_url(cast.course)).status_code == 403
    assert client.post(editor_url(cast.course), editor_data(cast.course, compiler="X")).status_code == 403
    cast.course.refresh_from_db()
    assert cast.course.compiler == "Мамытканов Д.К."


def test_another_courses_instructor_gets_404(login, cast):
    client = login(cast.other_instructor)
    assert client.get(editor_url(cast.course)).status_code == 404
    assert client.post(editor_url(cast.course), editor_data(cast.course, compiler="X")).status_code == 404


# The editor ---------------------------------------------------------------------------------------


def test_the_editor_lists_every_entry_and_blank_rows(login, cast):
    formset = login(cast.instructor).get(editor_url(cast.course)).context["formset"]
    assert formset.initial_form_count() == 17
    assert formset.total_form_count() == 20
    assert [form.initial["position"] for form in formset.forms[17:]] == [18, 19, 20]


def test_unchanged_it_saves_nothing_new(login, cast):
    before = list(cast.course.references.values_list("pk", "position", "group", "text", "url"))
    response = login(cast.instructor).post(editor_url(cast.course), editor_data(cast.course))
    assert response.status_code == 302
    assert response["Location"] == course_url(cast.course)
    assert list(cast.course.references.values_list("pk", "position", "group", "text", "url")) == before


def test_the_instructor_changes_adds_and_removes_entries_with_the_provenance(login, cast):
    course = cast.course
    data = editor_data(course, compiler="Мамытканов Д.К., Жақыпова С.А.", department_protocol_number="3")
    first, last = row(course, 1), row(course, 17)
    data[f"{PREFIX}-{first}-text"] = "Әбдікерова Г.О. Денсаулық сақтау жүйесіндегі әлеуметтік жұмыс. - Алматы, 2019."
    data[f"{PREFIX}-{last}-DELETE"] = "on"
    data[f"{PREFIX}-17-group"] = ReferenceGroup.INTERNET
    data[f"{PREFIX}-17-url"] = "https://www.unicef.org/kazakhstan"
    response = login(cast.instructor).post(editor_url(course), data)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.compiler == "Мамытканов Д.К., Жақыпова С.А."
    assert course.department_protocol_number == "3"
    assert course.references.count() == 17
    assert course.references.get(position=1).text.endswith("Алматы, 2019.")
    assert not course.references.filter(url="https://www.coe.int").exists()
    added = course.references.get(url="https://www.unicef.org/kazakhstan")
    assert (added.group, added.position, added.text) == (ReferenceGroup.INTERNET, 18, "")


def test_an_address_that_is_not_http_is_said_next_to_it_and_nothing_is_saved(login, cast):
    course = cast.course
    data = editor_data(course, compiler="Басқа")
    data[f"{PREFIX}-{row(course, 14)}-url"] = "javascript:alert(1)"
    data[f"{PREFIX}-17-text"] = "Жаңа кітап"
    response = login(cast.instructor).post(editor_url(course), data)
    assert response.status_code == 200
    form = response.context["formset"].forms[row(course, 14)]
    assert list(form.errors) == ["url"]
    assert "https://" in form.errors["url"][0]
    course.refresh_from_db()
    assert course.compiler == "Мамытканов Д.К."
    assert not course.references.filter(text="Жаңа кітап").exists()
    assert course.references.filter(url="http://elibrary.kaznu.kz/ru").exists()


def test_an_entry_needs_its_text_or_address(login, cast):
    course = cast.course
    data = editor_data(course)
    index = row(course, 2)
    data[f"{PREFIX}-{index}-text"] = ""
    data[f"{PREFIX}-18-group"] = ReferenceGroup.DATABASES  # a blank row touched, but left without text or address
    response = login(cast.instructor).post(editor_url(course), data)
    forms = response.context["formset"].forms
    assert list(forms[index].errors) == ["text"]
    assert list(forms[18].errors) == ["text"]
    assert course.references.get(position=2).text.startswith("Авсыдыкова")


def test_a_bad_protocol_date_is_said_next_to_it(login, cast):
    response = login(cast.instructor).post(
        editor_url(cast.course), editor_data(cast.course, faculty_protocol_date="26.06.2025x")
    )
    assert list(response.context["provenance"].errors) == ["faculty_protocol_date"]


def test_an_entry_of_another_course_cannot_be_edited_through_this_one(login, cast):
    foreign = Reference.objects.create(course=cast.other_course, position=1, text="Жалпы психология")
    data = editor_data(cast.course)
    data[f"{PREFIX}-0-id"] = foreign.pk
    data[f"{PREFIX}-0-text"] = "Ауыстырылған"
    login(cast.instructor).post(editor_url(cast.course), data)  # the formset does not know the row: it is left out
    foreign.refresh_from_db()
    assert (foreign.course, foreign.text) == (cast.other_course, "Жалпы психология")
    assert cast.course.references.count() == 17


# The course document on the course page -----------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "instructor", "dept_admin"])
def test_everyone_on_the_course_reads_the_document(login, cast, who):
    page = login(getattr(cast, who)).get(course_url(cast.course)).content.decode()
    assert "Мамытканов Д.К." in page
    assert "2025 ж. 16 маусым" in page and "2025 ж. 26 маусым" in page
    assert 'data-protocol="department">' in page and 'data-protocol="faculty">' in page
    assert "Blundo R.G. Solution-focused case management." in page


def test_the_reading_list_is_numbered_through_its_three_groups(login, cast):
    response = login(cast.student).get(course_url(cast.course))
    document = response.context["document"]
    assert [section.group for section in document.sections] == ["literature", "databases", "internet"]
    numbers = [number for section in document.sections for number, _entry in section.entries]
    assert numbers == list(range(1, 18))
    page = response.content.decode()
    assert '<li value="11"' in page and '<li value="17"' in page
    assert '<a class="text-break" href="https://www.coe.int" target="_blank" rel="noopener">' in page


def test_the_document_follows_the_readers_language(login, cast):
    client = login(cast.student)
    client.cookies["portal_language"] = "ru"
    page = client.get(course_url(cast.course), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "16 июня 2025" in page


def test_an_entry_added_to_a_group_is_numbered_in_its_group(login, cast):
    Reference.objects.create(course=cast.course, position=99, group=ReferenceGroup.LITERATURE, text="Жаңа оқулық")
    document = login(cast.student).get(course_url(cast.course)).context["document"]
    literature = document.sections[0].entries
    assert literature[-1] == (11, Reference.objects.get(text="Жаңа оқулық"))
    assert document.sections[1].entries[0][0] == 12


@pytest.mark.parametrize("extra", [0, 40])
def test_the_course_page_costs_the_same_queries_however_long_the_list(
    login, cast, django_assert_max_num_queries, extra
):
    Reference.objects.bulk_create(
        Reference(course=cast.course, position=100 + n, group=ReferenceGroup.INTERNET, url=f"https://example.kz/{n}")
        for n in range(extra)
    )
    client = login(cast.student)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(course_url(cast.course))
    assert len(response.context["document"].sections[2].entries) == 4 + extra


# The course page's queries for a student with the document shown, measured at either size (the twelfth reads which
# work built in the portal the student has begun).
QUERY_BUDGET = 12
