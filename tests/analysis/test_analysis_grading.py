"""A handed-in analysis (СӨЖ 4) where staff and its author read it: the grading page shows its rendering beside the
rubric and opens the report from it, the submission page shows each version's rendering, and the ZIPs of the
portfolio and of the queue carry its PDF and the report."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from analysis.documents import analysis_file_name
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import example_rubrics_ensure
from tests.analysis.conftest import hand_in_analysis
from tests.grading.conftest import hand_in as hand_in_essay

pytestmark = pytest.mark.django_db

CELL = "Қарқындылығы: Клиникалық модель бойынша сипаттама"
REPORT_TEXT = "Кейс-менеджменттің даму тарихы"  # the text of the report tests.portfolio.conftest.docx makes


@pytest.fixture
def graded_task(comparison_task):
    """СӨЖ 4 with the example rubric of the model comparison."""
    letter_scale_ensure()
    comparison_task.rubric = example_rubrics_ensure()["model_comparison"]
    comparison_task.save()
    return comparison_task


@pytest.fixture
def handed_in(cast, graded_task):
    return hand_in_analysis(graded_task, cast.student)


def large_analysis():
    """Three models on twenty criteria, twenty items in each SWOT quadrant, sixty references."""
    values = {}
    for index in range(20):
        values |= {f"criteria-{index}-key": f"c{index}", f"criteria-{index}-name": f"Өлшем-{index + 1:02d}"}
        values |= {f"cell-c{index}-m{model}": f"Ұяшық {index + 1}.{model + 1}" for model in range(3)}
    for quadrant in ("strengths", "weaknesses", "opportunities", "threats"):
        for index in range(20):
            values |= {f"{quadrant}-{index}-text": f"{quadrant}-{index}", f"{quadrant}-{index}-criterion": "c1"}
    for index in range(60):
        values |= {
            f"references-{index}-kind": "book",
            f"references-{index}-language": "kk",
            f"references-{index}-authors": f"Автор{index:02d} А.Б.",
            f"references-{index}-year": "2020",
            f"references-{index}-title": f"Кітап №{index + 1}",
            f"references-{index}-container": "Қазақ университеті",
            f"references-{index}-city": "Алматы",
        }
    return values


def grade_url(version):
    return reverse("grading:grade", args=[version.submission_id])


def submission_url(version):
    return reverse("portfolio:submission_detail", args=[version.submission_id])


def generated(version):
    return version.files.get(is_generated=True)


def report(version):
    return version.files.get(is_generated=False)


def stored(item):
    with item.file.open("rb") as stream:
        return stream.read()


def zip_entries(response):
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


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
    assert CELL not in response.content.decode()


@pytest.mark.parametrize("who", ["other_instructor", "classmate", "other_student"])
def test_nobody_else_reads_the_analysis_on_the_submission_page(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code in {403, 404}
    assert CELL not in response.content.decode()


def test_the_student_reads_their_own_analysis_on_the_submission_page(login, cast, handed_in):
    response = login(cast.student).get(submission_url(handed_in))
    assert response.status_code == 200
    assert CELL in response.content.decode()


# The grading page ---------------------------------------------------------------------------------------------------


def test_the_grading_page_shows_the_analysis_beside_the_rubric(login, cast, handed_in):
    response = login(cast.instructor).get(grade_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    document_at, form_at = html.index('class="analysis-document is-wide"'), html.index('id="grade-form"')
    assert document_at < form_at  # the analysis in the left column, the rubric in the right
    document = html[document_at:form_at]
    # The table: the models as columns, the criteria as rows, a cell.
    assert document.index("Брокерлік модель") < document.index("Клиникалық модель")
    assert "Кейс-менеджердің рөлі" in document
    assert CELL in document
    # The SWOT grid in its order, an item's criterion, the references as the snapshot formatted them.
    names = ("strengths", "weaknesses", "opportunities", "threats")
    quadrants = [document.index(f'class="swot-quadrant swot-{name}"') for name in names]
    assert quadrants == sorted(quadrants)
    assert "Ведомствоаралық байланыс әлсіз" in document
    for entry in handed_in.content["references_formatted"]:
        assert escape(entry) in document
    assert "ГОСТ Р 7.0.5-2008" in document
    # The rubric of the model comparison beside it.
    assert "Аналитикалық есеп" in html[form_at:]
    assert "Салыстыру критерийлері және кесте" in html[form_at:]
    assert "css/analysis_document.css" in html


def test_the_card_offers_the_pdf_and_the_report_with_its_length(login, cast, handed_in):
    html = login(cast.instructor).get(grade_url(handed_in)).content.decode()
    card = html[html.index('class="card analysis-card') : html.index('id="grade-form"')]
    pdf_url = reverse("portfolio:file_download", args=[generated(handed_in).pk])
    assert f'href="{pdf_url}?inline=1"' in card
    item = report(handed_in)
    assert "есеп.docx" in card
    assert f'href="?file={item.pk}#work"' in card
    assert 'class="document-length' in card
    assert f'href="{reverse("portfolio:file_download", args=[item.pk])}"' in card
    # The PDF is not shown a second time in a frame, nor the report's text before it is asked for.
    assert "pdf-frame" not in html
    assert REPORT_TEXT not in html


def test_the_report_opens_in_the_card_and_the_rubric_stays_beside_it(login, cast, handed_in):
    item = report(handed_in)
    html = login(cast.instructor).get(grade_url(handed_in), {"file": item.pk}).content.decode()
    card_at, form_at = html.index('class="card analysis-card'), html.index('id="grade-form"')
    card = html[card_at:form_at]
    assert REPORT_TEXT in card
    assert 'class="text-preview"' in card
    assert "analysis-document" not in card
    # The way back to the analysis, and the rubric still there.
    assert f'href="?file={generated(handed_in).pk}#work"' in card
    assert "Аналитикалық есеп" in html[form_at:]


def test_the_grading_page_of_an_essay_keeps_the_file_preview(login, cast, graded_task):
    version = hand_in_essay(cast.tasks["СОӨЖ 1"], cast.student)
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "analysis-document" not in html
    assert "analysis_document.css" not in html
    assert "text-preview" in html


def test_the_student_text_is_escaped_on_the_grading_page(login, cast, graded_task):
    version = hand_in_analysis(graded_task, cast.student, **{"strengths-0-text": "<script>alert(1)</script> қолдау"})
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; қолдау" in html
    assert "<script>alert(1)</script>" not in html


def test_the_grading_page_costs_the_same_queries_for_a_large_analysis(
    login, cast, graded_task, django_assert_max_num_queries
):
    small = hand_in_analysis(graded_task, cast.student)
    large = hand_in_analysis(graded_task, cast.classmate, **large_analysis())
    client = login(cast.instructor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(grade_url(small)).status_code == 200
    with django_assert_max_num_queries(len(queries)):
        response = client.get(grade_url(large))
    html = response.content.decode()
    assert "Ұяшық 20.3" in html and "threats-19" in html and "Кітап №60" in html


# The submission page ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["student", "instructor"])
def test_the_submission_page_shows_the_analysis_and_its_files(login, cast, handed_in, who):
    response = login(getattr(cast, who)).get(submission_url(handed_in))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="analysis-document' in html
    assert CELL in html
    assert analysis_file_name(task=handed_in.submission.task, version=handed_in) in html
    assert "есеп.docx" in html
    assert 'class="document-length' in html


def test_the_submission_page_opens_the_report(login, cast, handed_in):
    html = login(cast.student).get(submission_url(handed_in), {"file": report(handed_in).pk}).content.decode()
    assert REPORT_TEXT in html
    assert "analysis-document" not in html


def test_each_version_shows_its_own_analysis(login, cast, handed_in, graded_task):
    second = hand_in_analysis(graded_task, cast.student, **{"cell-c3-m1": "Екінші нұсқадағы ұяшық"})
    client = login(cast.student)
    latest = client.get(submission_url(second)).content.decode()
    assert "Екінші нұсқадағы ұяшық" in latest
    first = client.get(submission_url(second), {"file": generated(handed_in).pk}).content.decode()
    assert CELL in first
    assert "Екінші нұсқадағы ұяшық" not in first


# The ZIPs -----------------------------------------------------------------------------------------------------------


def held(entries, item):
    """The entries of a ZIP that hold ``item``'s bytes."""
    data = stored(item)
    return [path for path, content in entries.items() if content == data]


def test_the_students_portfolio_zip_holds_the_pdf_and_the_report(login, cast, handed_in):
    response = login(cast.student).get(reverse("portfolio:student_portfolio_zip", args=[cast.course.pk]))
    assert response.status_code == 200
    entries = zip_entries(response)
    pdf = held(entries, generated(handed_in))
    assert len(pdf) == 1 and pdf[0].endswith(analysis_file_name(task=handed_in.submission.task, version=handed_in))
    assert entries[pdf[0]].startswith(b"%PDF")
    assert len(held(entries, report(handed_in))) == 1


def test_the_queues_zip_holds_the_pdf_and_the_report(login, cast, handed_in, graded_task):
    response = login(cast.instructor).get(reverse("portfolio:queue_zip", args=[cast.course.pk, graded_task.pk]))
    assert response.status_code == 200
    entries = zip_entries(response)
    pdf = held(entries, generated(handed_in))
    assert len(pdf) == 1 and cast.student.display_name in pdf[0]
    reports = held(entries, report(handed_in))
    assert len(reports) == 1 and reports[0].endswith("есеп.docx")
