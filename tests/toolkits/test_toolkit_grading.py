"""A handed-in assessment toolkit (СӨЖ 3) where staff and its author read it: the grading page shows its rendering
beside the rubric — the criteria with their definitions, the coverage, each instrument as its blank form, the
scoring sheet, the presentation with its slides' titles — and the defence booked; the submission page shows each
version's rendering; in Kazakh and in Russian alike."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from coursework.models import Attendance, Booking, Slot, SlotKind
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import example_rubrics_ensure
from tests.grading.conftest import hand_in as hand_in_essay
from tests.toolkits.conftest import CRITERIA, QUESTIONS, SCALE_ITEMS, hand_in_toolkit
from toolkits.documents import toolkit_file_name

pytestmark = pytest.mark.django_db

SLIDES = ("Бағалау құралдарының жиынтығы", "Критерийлер", "Қорытынды")  # the titles of conftest.pptx_upload()
TITLES = ("Қарт адамның әлеуметтік тарихы: сауалнама", "Өмір сүру сапасын бағалау шкаласы")  # the instruments
RUBRIC_KK = "Алдын ала анықталған әлеуметтік тарих критерийлері"  # a criterion of the toolkit's example rubric
RUBRIC_RU = "Заранее определённые критерии социальной истории"


@pytest.fixture
def graded_task(toolkit_task):
    """СӨЖ 3 with the example rubric of the assessment toolkit."""
    letter_scale_ensure()
    toolkit_task.rubric = example_rubrics_ensure()["assessment_toolkit"]
    toolkit_task.save()
    return toolkit_task


@pytest.fixture
def handed_in(cast, graded_task):
    return hand_in_toolkit(graded_task, cast.student)


def grade_url(version):
    return reverse("grading:grade", args=[version.submission_id])


def submission_url(version):
    return reverse("portfolio:submission_detail", args=[version.submission_id])


def generated(version):
    return version.files.get(is_generated=True)


def presentation(version):
    return version.files.get(is_generated=False)


def card_of(html):
    """The toolkit's card of a page: from its start to the grading form, or to the end of the page."""
    start = html.index('class="card toolkit-card')
    end = html.find('id="grade-form"', start)
    return html[start : end if end != -1 else len(html)]


def defence_slot(task, starts_at):
    return Slot.objects.create(
        task=task,
        kind=SlotKind.DEFENCE,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=20),
        place="Ауд. 305",
        capacity=1,
        booking_closes_at=starts_at - dt.timedelta(hours=24),
    )


# Access first -------------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, handed_in):
    for url in (grade_url(handed_in), submission_url(handed_in)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin", "student", "classmate"])
def test_only_the_courses_staff_reach_the_grading_page(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(grade_url(handed_in))
    assert response.status_code in {403, 404}
    assert CRITERIA[0][1] not in response.content.decode()


@pytest.mark.parametrize("who", ["other_instructor", "classmate", "other_student"])
def test_nobody_else_reads_the_toolkit_on_the_submission_page(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code in {403, 404}
    assert CRITERIA[0][1] not in response.content.decode()


# The grading page ---------------------------------------------------------------------------------------------------


def test_the_grading_page_shows_the_toolkit_beside_the_rubric(login, cast, handed_in):
    response = login(cast.instructor).get(grade_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    document_at, form_at = html.index('class="toolkit-document"'), html.index('id="grade-form"')
    assert document_at < form_at  # the toolkit in the left column, the rubric in the right
    document = html[document_at:form_at]
    # The category, the criteria with their definitions in their order.
    assert "toolkit-category" in document
    positions = [document.index(escape(name)) for name, _definition in CRITERIA]
    assert positions == sorted(positions)
    for _name, definition in CRITERIA:
        assert escape(definition) in document
    # Each instrument as its form: title, instructions, items with their answer areas, the practitioner's lines.
    for title in TITLES:
        assert escape(title) in document
    assert document.count('class="toolkit-form"') == 2
    for _key, text, *_rest in QUESTIONS:
        assert escape(text) in document
    assert "Жалғыз" in document and "○" in document  # a one-choice item's options
    assert "☐" in document  # yes / no and several choices
    assert 'class="points"' in document and "ешқашан" in document and "әрқашан" in document
    assert document.count('class="sign-row"') == 2
    # The rubric of the toolkit beside it.
    assert RUBRIC_KK in html[form_at:]
    assert "css/toolkit_document.css" in html


def test_the_coverage_table_counts_each_instruments_items_for_each_criterion(login, cast, handed_in):
    html = login(cast.instructor).get(grade_url(handed_in)).content.decode()
    table = card_of(html).split('class="toolkit-table coverage-table"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == len(CRITERIA)
    # conftest: the questionnaire serves c0, c1, c2, c2, c3; the scale c3, c0, c1, c2.
    expected = [(1, 1, 2), (1, 1, 2), (2, 1, 3), (1, 1, 2)]
    for row, (first, second, total) in zip(rows, expected, strict=True):
        cells = [cell.split("</td>")[0] for cell in row.split("<td")[1:]]
        assert [cell.split(">", 1)[1] for cell in cells] == [str(first), str(second), str(total)]
    for title in TITLES:
        assert f'title="{escape(title)}"' in table


def test_the_scoring_sheet_of_the_rating_scale_sums_each_criterion(login, cast, handed_in):
    html = login(cast.instructor).get(grade_url(handed_in)).content.decode()
    sheets = card_of(html).split('class="toolkit-part toolkit-scoring"')[1]
    assert escape(TITLES[1]) in sheets
    assert sheets.count("<tr>") == len(SCALE_ITEMS) + 2  # the head, a row per criterion (one item each), the total
    assert "1–5" in sheets and "4–20" in sheets


def test_the_card_offers_the_pdf_and_the_presentation_with_its_slide_titles(login, cast, handed_in):
    html = login(cast.instructor).get(grade_url(handed_in)).content.decode()
    card = card_of(html)
    assert f'href="{reverse("portfolio:file_download", args=[generated(handed_in).pk])}?inline=1"' in card
    item = presentation(handed_in)
    assert "қорғау.pptx" in card
    assert f'href="?file={item.pk}#work"' in card
    assert f'data-slides="{len(SLIDES)}"' in card
    outline = card[card.index('class="slide-outline') :]
    titles = [outline.index(f"<li>{escape(title)}</li>") for title in SLIDES]
    assert titles == sorted(titles)
    assert f'href="{reverse("portfolio:file_download", args=[item.pk])}"' in card
    assert "pdf-frame" not in html  # the toolkit's PDF is offered, not shown a second time


def test_the_presentation_opens_in_the_card_and_the_rubric_stays_beside_it(login, cast, handed_in):
    item = presentation(handed_in)
    html = login(cast.instructor).get(grade_url(handed_in), {"file": item.pk}).content.decode()
    card = card_of(html)
    assert 'class="card preview border-0 presentation-preview"' in card
    assert "toolkit-document" not in card
    assert f'href="?file={generated(handed_in).pk}#work"' in card  # the way back to the toolkit
    assert RUBRIC_KK in html[html.index('id="grade-form"') :]


def test_the_defence_booked_is_noted_beside_the_rubric(login, cast, handed_in):
    client = login(cast.instructor)
    assert "data-defence" not in client.get(grade_url(handed_in)).content.decode()  # no defence slots yet
    slot = defence_slot(handed_in.submission.task, timezone.now() - dt.timedelta(hours=1))
    html = client.get(grade_url(handed_in)).content.decode()
    assert 'data-defence="none"' in html
    Booking.objects.create(slot=slot, student=cast.student, attendance=Attendance.ATTENDED)
    html = client.get(grade_url(handed_in)).content.decode()
    note = html.split('class="alert alert-success small defence-note"')[1].split("</aside>")[0]
    assert 'data-defence="attended"' in note
    assert timezone.localtime(slot.starts_at).strftime("%H:%M") in note
    assert "Ауд. 305" in note
    assert html.index("defence-note") > html.index('class="toolkit-document"')  # with the rubric, not the work


def test_the_student_text_is_escaped_on_the_grading_page(login, cast, graded_task):
    version = hand_in_toolkit(graded_task, cast.student, **{"criteria-0-definition": "<script>alert(1)</script> үй"})
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; үй" in html
    assert "<script>alert(1)</script>" not in html


def test_the_grading_page_of_an_essay_keeps_the_file_preview(login, cast, graded_task):
    version = hand_in_essay(cast.tasks["СОӨЖ 1"], cast.student)
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "toolkit-document" not in html
    assert "toolkit_document.css" not in html


def large_toolkit():
    """Twelve criteria and six instruments of twenty items each (on top of the complete toolkit's values)."""
    values = {}
    for index in range(12):
        values |= {
            f"criteria-{index}-key": f"c{index}",
            f"criteria-{index}-name": f"Өлшем-{index + 1:02d}",
            f"criteria-{index}-definition": f"Анықтама {index + 1}",
        }
    for number in range(6):
        values |= {
            f"instruments-{number}-key": f"i{number}",
            f"instruments-{number}-type": "rating_scale" if number % 2 else "questionnaire",
            f"instruments-{number}-title": f"Құрал-{number + 1}",
            f"instruments-{number}-purpose": "Мақсаты",
            f"instruments-{number}-instructions": "Нұсқау",
        }
        for index in range(20):
            prefix = f"instruments-{number}-items-{index}"
            scale = {f"{prefix}-scale_from": "1", f"{prefix}-scale_to": "5", f"{prefix}-anchor-1": "ешқашан"}
            values |= {
                f"{prefix}-key": f"x{number}y{index}",
                f"{prefix}-text": f"Сұрақ {number + 1}.{index + 1}",
                f"{prefix}-criterion": f"c{index % 12}",
                f"{prefix}-answer": "scale" if number % 2 else "open",
                **(scale | {f"{prefix}-anchor-5": "әрқашан"} if number % 2 else {}),
            }
    return values


def test_the_grading_page_costs_the_same_queries_for_a_large_toolkit(
    login, cast, graded_task, django_assert_max_num_queries
):
    small = hand_in_toolkit(graded_task, cast.student)
    large = hand_in_toolkit(graded_task, cast.classmate, **large_toolkit())
    client = login(cast.instructor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(grade_url(small)).status_code == 200
    with django_assert_max_num_queries(len(queries)):
        response = client.get(grade_url(large))
    html = response.content.decode()
    assert "Сұрақ 6.20" in html and "Өлшем-12" in html


# The submission page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_the_submission_page_shows_the_toolkit_and_its_files(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    card = card_of(html)
    assert 'class="toolkit-document"' in card
    for name, definition in CRITERIA:
        assert escape(name) in card and escape(definition) in card
    for title in TITLES:
        assert escape(title) in card
    assert "coverage-table" in card
    assert toolkit_file_name(task=handed_in.submission.task, version=handed_in) in html
    assert "қорғау.pptx" in card
    for title in SLIDES:
        assert escape(title) in card


def test_each_version_shows_its_own_toolkit(login, cast, handed_in, graded_task):
    second = hand_in_toolkit(graded_task, cast.student, **{"instruments-1-title": "Екінші нұсқадағы шкала"})
    client = login(cast.student)
    latest = client.get(submission_url(second)).content.decode()
    assert "Екінші нұсқадағы шкала" in latest
    first = client.get(submission_url(second), {"file": generated(handed_in).pk}).content.decode()
    assert escape(TITLES[1]) in first
    assert "Екінші нұсқадағы шкала" not in first


# In every language ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "rubric", "heading"),
    [("kk", RUBRIC_KK, "Әлеуметтік тарих критерийлері"), ("ru", RUBRIC_RU, "Критерии социальной истории")],
)
def test_the_pages_render_the_toolkit_in_kazakh_and_in_russian(login, cast, handed_in, language, rubric, heading):
    client = login(cast.instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(grade_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert rubric in html
    card = card_of(html)
    assert heading in card  # the rendering's own words in the page's language
    for name, _definition in CRITERIA:
        assert escape(name) in card
    assert escape(SLIDES[1]) in card
    response = client.get(submission_url(handed_in))
    assert response.status_code == 200
    assert escape(TITLES[0]) in card_of(response.content.decode())
