"""The student's page of the analytical work (СӨЖ 4): who may reach it, what it shows, saving (as the page's script
does and without it), the report's upload and removal, handing in, and the task page's panel.

The views use the real clock; the cast's course ran in 2025 and СӨЖ 4 has no cut-off, so a hand-in made now is
accepted (and late). The tests that need the task closed give it a cut-off in the past.
"""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from analysis import services
from analysis.data import MAX_TEXT, SUGGESTED_CRITERIA, SUGGESTED_MODELS, analysis_problems
from analysis.references import format_reference_html, reading_list_entry
from coursework.selectors.courses import course_document
from portfolio import services as portfolio_services
from portfolio.models import SubmissionFile, Version, WorkingCopy
from tests.analysis.conftest import CRITERIA, MODELS, analysis_values, hand_in_analysis
from tests.portfolio.conftest import docx, pdf

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}
CELL = "Қарқындылығы: Клиникалық модель бойынша сипаттама"  # a cell of analysis_values()
REPORT_TEXT = "Кейс-менеджменттің даму тарихы"


def url(name, task, *args):
    return reverse(f"analysis:{name}", args=[task.course_id, task.pk, *args])


def saved(task, student):
    return WorkingCopy.objects.filter(task=task, student=student).first()


def statement(**values):
    return {"own_work": "on", "deidentified": "on", **values}


def upload_report(task, student, name="есеп.docx"):
    portfolio_services.draft_add_files(task=task, student=student, uploads=[docx(name)])
    return SubmissionFile.objects.get(version__submission__student=student, original_name=name)


def section(page, ident):
    """The HTML of the page's section (or other element) of id ``ident``, up to the next one of its kind."""
    return page.split(f'id="{ident}"')[1].split("</section>")[0]


# Who may reach the page ------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, comparison_task):
    response = client.get(url("edit", comparison_task))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["save", "submit", "report_upload"])
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, comparison_task, name):
    response = client.post(url(name, comparison_task), analysis_values())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not WorkingCopy.objects.exists()
    assert not Version.objects.exists()


def test_a_classmate_sees_their_own_empty_page_never_the_students_work(login, cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    upload_report(comparison_task, cast.student)
    page = login(cast.classmate).get(url("edit", comparison_task)).content.decode()
    assert 'id="analysis-form"' in page
    assert CELL not in page
    assert MODELS[0] not in page
    assert "есеп.docx" not in page


def test_a_classmate_cannot_remove_the_students_report(login, cast, comparison_task):
    report = upload_report(comparison_task, cast.student)
    response = login(cast.classmate).post(url("report_remove", comparison_task, report.pk))
    assert response.status_code == 404
    assert SubmissionFile.objects.filter(pk=report.pk).exists()


@pytest.mark.parametrize("name", ["save", "submit", "report_upload"])
def test_a_classmates_posts_touch_only_their_own_work(login, cast, comparison_task, name):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    login(cast.classmate).post(url(name, comparison_task), {**analysis_values(), **statement()}, headers=FETCH)
    assert saved(comparison_task, cast.student).revision == 1
    assert not Version.objects.filter(submission__student=cast.student).exists()


def test_a_student_of_another_course_gets_404(login, cast, comparison_task):
    client = login(cast.other_student)
    assert client.get(url("edit", comparison_task)).status_code == 404
    for name in ("save", "submit", "report_upload"):
        assert client.post(url(name, comparison_task), analysis_values(), headers=FETCH).status_code == 404
    assert not WorkingCopy.objects.exists()


@pytest.mark.parametrize("who", ["instructor", "other_instructor", "dept_admin"])
def test_staff_are_refused_the_students_page(login, cast, comparison_task, who):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    report = upload_report(comparison_task, cast.student)
    client = login(getattr(cast, who))
    response = client.get(url("edit", comparison_task))
    assert response.status_code == 403
    assert CELL not in response.content.decode()
    for name in ("save", "submit", "report_upload"):
        assert client.post(url(name, comparison_task), analysis_values()).status_code == 403
    assert client.post(url("report_remove", comparison_task, report.pk)).status_code == 403
    assert saved(comparison_task, cast.student).revision == 1
    assert SubmissionFile.objects.filter(pk=report.pk).exists()


def test_the_page_is_only_for_a_model_comparison_task(login, cast):
    client = login(cast.student)
    for label in ("СӨЖ 1", "СОӨЖ 2-3"):
        assert client.get(url("edit", cast.tasks[label])).status_code == 404


def test_a_hidden_comparison_task_has_no_page(login, cast, comparison_task):
    comparison_task.is_hidden = True
    comparison_task.save()
    assert login(cast.student).get(url("edit", comparison_task)).status_code == 404


def test_the_save_takes_only_posts(login, cast, comparison_task):
    client = login(cast.student)
    for name in ("save", "submit", "report_upload"):
        assert client.get(url(name, comparison_task)).status_code == 405


# The page ---------------------------------------------------------------------------------------------------------


def test_the_page_shows_every_part_with_a_spare_row_in_each_list(login, cast, comparison_task):
    page = login(cast.student).get(url("edit", comparison_task)).content.decode()
    for ident in ("comparison", "swot", "references", "report", "hand-in", "checklist"):
        assert f'id="{ident}"' in page
    # Without a saved analysis: two model columns and a spare one, a spare criterion with a cell for each model.
    form = page.split('id="analysis-form"')[1].split("</form>")[0]
    assert form.count('class="model-head" data-model') == 3
    assert form.count("data-spare") == 1  # the third, which the script takes away while it is empty
    assert 'name="models-2-name"' in form and 'name="models-3-name"' not in form
    assert 'name="criteria-0-name"' in form and 'name="criteria-1-name"' not in form
    assert form.count('data-cell data-model="') == 3
    for quadrant in ("strengths", "weaknesses", "opportunities", "threats"):
        assert f'name="{quadrant}-0-text"' in page
        assert f'name="{quadrant}-0-criterion"' in page
    for field in ("kind", "language", "authors", "year", "title", "container", "city", "volume", "issue", "pages"):
        assert f'name="references-0-{field}"' in page
    assert (
        'name="references-0-url"' in page
        and 'type="date" class="form-control form-control-sm" data-field="accessed"' in page
    )
    # The suggestions offered for the names, the report's upload, the statement and the hand-in.
    for name in (*SUGGESTED_MODELS, *SUGGESTED_CRITERIA):
        assert f'<option value="{name}">' in page
    assert f'action="{url("report_upload", comparison_task)}"' in page
    assert 'accept=".docx,.pdf,.odt"' in page
    assert 'name="own_work"' in page and 'name="deidentified"' in page
    assert f'formaction="{url("submit", comparison_task)}"' in page
    assert f'action="{url("save", comparison_task)}"' in page


def test_the_page_shows_the_saved_analysis_in_its_rows_and_columns(login, cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    page = login(cast.student).get(url("edit", comparison_task)).content.decode()
    for index, name in enumerate(MODELS):
        assert f'name="models-{index}-name" id="id_models-{index}-name" value="{name}"' in page
    assert 'name="models-3-name"' not in page  # three models: no spare column
    assert f'name="criteria-{len(CRITERIA)}-name"' in page  # the criteria, then the spare one
    assert f'name="cell-c3-m1" id="id_cell-c3-m1" data-cell-text>{CELL}</textarea>' in page
    # A SWOT item linked to a criterion shows it chosen, named as the table numbers it.
    strengths = section(page, "heading-strengths")
    assert f'<option value="c5" selected>6. {CRITERIA[5]}</option>' in strengths
    assert 'name="strengths-2-text"' in strengths  # two items and the spare one


def test_each_reference_shows_how_the_courses_style_lists_it(login, cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    page = login(cast.student).get(url("edit", comparison_task)).content.decode()
    entries = services.analysis_for(task=comparison_task, student=cast.student)["references"]
    for entry in entries:
        assert str(format_reference_html(entry, style="gost")) in page
    assert "ГОСТ Р 7.0.5-2008" in section(page, "references-heading")
    comparison_task.course.reference_style = "apa"
    comparison_task.course.save()
    page = login(cast.student).get(url("edit", comparison_task)).content.decode()
    assert str(format_reference_html(entries[2], style="apa")) in page
    assert "<i>Case Management: An Introduction to Concepts and Skills</i>" in page


def test_the_courses_reading_list_is_offered_in_its_order_with_the_entries_it_adds(login, cast, comparison_task):
    page = login(cast.student).get(url("edit", comparison_task)).content.decode()
    document = course_document(comparison_task.course)
    numbered = [(number, reference) for part in document.sections for number, reference in part.entries]
    assert len(numbered) == document.size > 5
    reading = page.split('id="reading-list"')[1].split("</details>")[0]
    for number, reference in numbered:
        assert f'data-reading="{number}"' in reading
        assert escape(reference.text or reference.url) in reading
    positions = [reading.index(f'data-reading-entry="{number}"') for number, _reference in numbered]
    assert positions == sorted(positions)
    entries = json.loads(page.split('id="reading-entries" type="application/json">')[1].split("</script>")[0])
    assert entries == {str(number): reading_list_entry(reference) for number, reference in numbered}


def test_the_checklist_lists_what_keeps_the_work_from_being_handed_in_and_the_report(login, cast, comparison_task):
    values = analysis_values(**{"cell-c3-m1": "", "references-4-accessed": ""})
    services.analysis_save(task=comparison_task, student=cast.student, values=values)
    page = login(cast.student).get(url("edit", comparison_task)).content.decode()
    checklist = section(page, "checklist")
    assert checklist.count("<li>") == 2
    assert escape(CRITERIA[3]) in checklist.split("<li>")[1]
    assert "data-problem-count>2<" in page
    # A warning, which does not stop a hand-in: the web page's address has no access date.
    warnings = page.split("data-warnings>")[1].split("</ul>")[0]
    assert warnings.count("<li>") == 1
    assert "5" in warnings


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_analysis(
    login, cast, comparison_task, django_assert_max_num_queries
):
    client = login(cast.student)
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    upload_report(comparison_task, cast.student)
    with django_assert_max_num_queries(20) as small:
        client.get(url("edit", comparison_task))
    services.analysis_save(task=comparison_task, student=cast.student, values=large_analysis())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("edit", comparison_task))
    assert 'name="references-59-title"' in response.content.decode()


def large_analysis():
    """Three models on twenty criteria, twenty items in each SWOT quadrant, sixty references."""
    values = {f"models-{index}-key": f"m{index}" for index in range(3)}
    values |= {f"models-{index}-name": name for index, name in enumerate(MODELS)}
    for index in range(20):
        values |= {f"criteria-{index}-key": f"c{index}", f"criteria-{index}-name": f"Өлшем-{index + 1:02d}"}
        values |= {f"cell-c{index}-m{model}": f"Ұяшық {index + 1}.{model + 1}" for model in range(3)}
    for quadrant in ("strengths", "weaknesses", "opportunities", "threats"):
        for index in range(20):
            values |= {f"{quadrant}-{index}-text": f"{quadrant}-{index}", f"{quadrant}-{index}-criterion": "c1"}
    for index in range(60):
        values |= {
            f"references-{index}-kind": "book",
            f"references-{index}-authors": f"Автор{index:02d} А.Б.",
            f"references-{index}-title": f"Кітап №{index + 1}",
            f"references-{index}-url": f"https://example.kz/{index}",
        }
    return values


# Saving -----------------------------------------------------------------------------------------------------------


def test_the_scripts_save_stores_the_analysis_and_answers_with_the_revision_and_the_checklist(
    login, cast, comparison_task
):
    client = login(cast.student)
    first = {"models-0-key": "m0", "models-0-name": MODELS[0], "revision": "0"}
    response = client.post(url("save", comparison_task), first, headers=FETCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert set(answer) == {"revision", "saved_at", "problems", "warnings", "previews"}
    assert answer["revision"] == 1
    assert answer["saved_at"] == timezone.localtime(saved(comparison_task, cast.student).saved_at).strftime("%H:%M")
    data = saved(comparison_task, cast.student).data
    listed = [problem.message for problem in analysis_problems(data, today=timezone.localdate())]
    assert answer["problems"] == [*listed, _("Upload your analytical report.")]
    assert saved(comparison_task, cast.student).data["models"] == [{"key": "m0", "name": MODELS[0]}]

    answer = client.post(url("save", comparison_task), {**analysis_values(), "revision": "1"}, headers=FETCH).json()
    assert answer["revision"] == 2
    assert len(answer["problems"]) == 1  # only the report is missing now
    assert answer["warnings"] == []
    data = saved(comparison_task, cast.student).data
    assert data["cells"]["c3"]["m1"] == CELL
    assert [item["criterion"] for item in data["swot"]["strengths"]] == ["c5", ""]


def test_the_answer_formats_each_reference_of_the_form_by_its_number(login, cast, comparison_task):
    values = analysis_values(**{"references-7-kind": "book", "references-7-language": "ru"})  # an empty row
    answer = login(cast.student).post(url("save", comparison_task), values, headers=FETCH).json()
    entries = services.analysis_for(task=comparison_task, student=cast.student)["references"]
    assert answer["previews"]["0"] == str(format_reference_html(entries[0], style="gost"))
    assert answer["previews"]["3"] == str(format_reference_html(entries[3], style="gost"))
    assert answer["previews"]["7"] == ""


def test_a_beacon_sent_on_leaving_the_page_is_answered_as_the_script_is(login, cast, comparison_task):
    # navigator.sendBeacon cannot set a header: the script adds a field instead.
    response = login(cast.student).post(url("save", comparison_task), {**analysis_values(), "autosave": "1"})
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert saved(comparison_task, cast.student).data["cells"]["c3"]["m1"] == CELL


def test_the_save_without_the_script_redirects_back_with_a_message(login, cast, comparison_task):
    response = login(cast.student).post(
        url("save", comparison_task), {**analysis_values(), "revision": "0"}, follow=True
    )
    assert response.redirect_chain == [(url("edit", comparison_task), 302)]
    assert len(list(response.context["messages"])) == 1
    assert saved(comparison_task, cast.student).revision == 1


def test_cells_follow_their_criterion_and_model_when_these_are_reordered(login, cast, comparison_task):
    client = login(cast.student)
    client.post(url("save", comparison_task), analysis_values(), headers=FETCH)
    # The page moved criterion 4 to the top and model 2 to the end: the rows are renumbered, the keys stay.
    moved = analysis_values()
    moved |= {
        "criteria-0-key": "c3",
        "criteria-0-name": CRITERIA[3],
        "criteria-3-key": "c0",
        "criteria-3-name": CRITERIA[0],
    }
    moved |= {"models-1-key": "m2", "models-1-name": MODELS[2], "models-2-key": "m1", "models-2-name": MODELS[1]}
    client.post(url("save", comparison_task), moved, headers=FETCH)
    data = saved(comparison_task, cast.student).data
    assert [criterion["key"] for criterion in data["criteria"]][:4] == ["c3", "c1", "c2", "c0"]
    assert [model["name"] for model in data["models"]] == [MODELS[0], MODELS[2], MODELS[1]]
    assert data["cells"]["c3"]["m1"] == CELL


def test_a_save_over_a_revision_saved_since_elsewhere_is_refused_and_changes_nothing(login, cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    services.analysis_save(
        task=comparison_task, student=cast.student, values=analysis_values(**{"cell-c3-m1": "Басқа"})
    )
    before = saved(comparison_task, cast.student)
    values = {**analysis_values(**{"cell-c3-m1": "Ескі бет"}), "revision": "1"}
    response = login(cast.student).post(url("save", comparison_task), values, headers=FETCH)
    assert response.status_code == 409
    answer = response.json()
    assert answer["stale"] is True
    assert len(answer["errors"]) == 1
    copy = saved(comparison_task, cast.student)
    assert (copy.revision, copy.data, copy.saved_at) == (2, before.data, before.saved_at)


def test_refused_input_answers_400_with_the_message_and_saves_nothing(login, cast, comparison_task):
    client = login(cast.student)
    client.post(url("save", comparison_task), analysis_values(), headers=FETCH)
    response = client.post(
        url("save", comparison_task),
        {**analysis_values(**{"cell-c3-m1": "ә" * (MAX_TEXT + 1)}), "revision": "1"},
        headers=FETCH,
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["stale"] is False
    [message] = answer["errors"]
    assert str(MAX_TEXT) in message
    copy = saved(comparison_task, cast.student)
    assert (copy.revision, copy.data["cells"]["c3"]["m1"]) == (1, CELL)


def test_refused_input_without_the_script_shows_the_page_again_with_what_was_typed(login, cast, comparison_task):
    typed = "Жаңа мәтін " + "ә" * MAX_TEXT
    response = login(cast.student).post(url("save", comparison_task), analysis_values(**{"cell-c0-m0": typed}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="alert alert-danger analysis-errors"' in page
    assert f"{typed}</textarea>" in page
    assert "data-unsaved" in page  # the script keeps it in the browser, as what the server does not hold
    assert not WorkingCopy.objects.exists()


def test_after_the_cut_off_the_work_is_read_only(login, cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    comparison_task.cutoff_at = timezone.now() - dt.timedelta(days=1)
    comparison_task.save()
    client = login(cast.student)
    page = client.get(url("edit", comparison_task)).content.decode()
    assert 'class="alert alert-secondary analysis-closed"' in page
    assert 'id="analysis-form"' not in page
    assert "<textarea" not in page
    assert CELL in page  # the work as it stands, to read
    response = client.post(url("save", comparison_task), analysis_values(**{"cell-c3-m1": "Кеш"}), headers=FETCH)
    assert response.status_code == 400
    assert saved(comparison_task, cast.student).data["cells"]["c3"]["m1"] == CELL
    response = client.post(url("report_upload", comparison_task), {"report": docx("есеп.docx")}, follow=True)
    assert not SubmissionFile.objects.exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


# The report -------------------------------------------------------------------------------------------------------


def test_the_report_uploaded_is_staged_and_shown_with_its_pages_and_words(login, cast, comparison_task):
    client = login(cast.student)
    response = client.post(url("report_upload", comparison_task), {"report": docx("есеп.docx")}, follow=True)
    assert response.redirect_chain == [(url("edit", comparison_task) + "#report", 302)]
    assert [message.level_tag for message in response.context["messages"]] == ["success"]
    report = SubmissionFile.objects.get()
    assert (report.version.is_draft, report.original_name, report.word_count) == (
        True,
        "есеп.docx",
        len(REPORT_TEXT.split()),
    )
    page = section(response.content.decode(), "report")
    assert 'data-report="есеп.docx"' in page
    assert f'data-words="{report.word_count}"' in page and f'data-pages="{report.page_count}"' in page
    assert f'action="{url("report_remove", comparison_task, report.pk)}"' in page
    assert 'name="report"' not in page  # one report a version: no upload while it is there


def test_a_second_report_is_refused_while_one_is_there(login, cast, comparison_task):
    upload_report(comparison_task, cast.student)
    response = login(cast.student).post(
        url("report_upload", comparison_task), {"report": pdf("басқа.pdf")}, follow=True
    )
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert list(SubmissionFile.objects.values_list("original_name", flat=True)) == ["есеп.docx"]


@pytest.mark.parametrize(
    "upload", [SimpleUploadedFile("есеп.txt", b"plain text"), SimpleUploadedFile("жалған.pdf", b"not a pdf")]
)
def test_a_file_that_is_no_report_is_refused_with_a_message(login, cast, comparison_task, upload):
    response = login(cast.student).post(url("report_upload", comparison_task), {"report": upload}, follow=True)
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert not SubmissionFile.objects.exists()


def test_an_upload_without_a_file_says_so(login, cast, comparison_task):
    response = login(cast.student).post(url("report_upload", comparison_task), {}, follow=True)
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


def test_the_student_removes_their_report(login, cast, comparison_task):
    report = upload_report(comparison_task, cast.student)
    response = login(cast.student).post(url("report_remove", comparison_task, report.pk), follow=True)
    assert response.redirect_chain == [(url("edit", comparison_task) + "#report", 302)]
    assert not SubmissionFile.objects.exists()
    assert 'name="report"' in section(response.content.decode(), "report")


def test_only_a_report_of_the_students_next_hand_in_can_be_removed(login, cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    document = version.files.get(is_generated=True)
    essay_file = upload_report(cast.tasks["СОӨЖ 1"], cast.student, "эссе.docx")
    client = login(cast.student)
    for pk in (document.pk, essay_file.pk, 999_999):
        assert client.post(url("report_remove", comparison_task, pk)).status_code == 404
    assert SubmissionFile.objects.filter(pk__in=[document.pk, essay_file.pk]).count() == 2


def test_after_a_hand_in_the_report_goes_on_to_the_next_version_unless_removed(login, cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    report = version.files.get(is_generated=False)
    client = login(cast.student)
    page = section(client.get(url("edit", comparison_task)).content.decode(), "report")
    assert 'data-report="есеп.docx"' in page
    assert "badge" in page  # marked as the version's report
    client.post(url("report_remove", comparison_task, report.pk))
    assert version.files.filter(pk=report.pk).exists()  # the version keeps its report
    draft = Version.objects.get(submission__student=cast.student, state="draft")
    assert not draft.files.exists()


# Handing in -------------------------------------------------------------------------------------------------------


def test_a_complete_analysis_is_handed_in_as_version_1_with_its_pdf_and_the_report(login, cast, comparison_task):
    client = login(cast.student)
    upload_report(comparison_task, cast.student)
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    response = client.post(url("submit", comparison_task), statement(), follow=True)
    task_page = reverse("grading:task_detail", args=[cast.course.pk, comparison_task.pk])
    assert response.redirect_chain == [(task_page, 302)]
    version = Version.objects.get(submission__student=cast.student, submission__task=comparison_task)
    assert (version.number, version.content["kind"]) == (1, "model_comparison")
    assert version.content["analysis"]["cells"]["c3"]["m1"] == CELL
    document, report = version.files.get(is_generated=True), version.files.get(is_generated=False)
    assert report.original_name == "есеп.docx"
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    [message] = list(response.context["messages"])
    assert f'href="{reverse("portfolio:file_download", args=[document.pk])}"' in str(message)
    assert "1" in str(message)


def test_handing_in_from_the_page_saves_what_it_holds_first(login, cast, comparison_task):
    client = login(cast.student)
    upload_report(comparison_task, cast.student)
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values(**{"cell-c3-m1": ""}))
    client.post(url("submit", comparison_task), {**analysis_values(), **statement(), "analysis_form": "1"})
    version = Version.objects.get(state="submitted")
    assert version.content["analysis"]["cells"]["c3"]["m1"] == CELL
    assert saved(comparison_task, cast.student).data["cells"]["c3"]["m1"] == CELL


def test_a_hand_in_without_the_pages_fields_never_empties_the_work(login, cast, comparison_task):
    upload_report(comparison_task, cast.student)
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    login(cast.student).post(url("submit", comparison_task), statement())
    assert saved(comparison_task, cast.student).data["cells"]["c3"]["m1"] == CELL
    assert Version.objects.filter(state="submitted").count() == 1


def test_work_that_fails_the_checks_is_not_handed_in_and_the_page_lists_why(login, cast, comparison_task):
    upload_report(comparison_task, cast.student)
    values = analysis_values(**{"cell-c3-m1": "", "weaknesses-1-text": ""})
    services.analysis_save(task=comparison_task, student=cast.student, values=values)
    response = login(cast.student).post(url("submit", comparison_task), statement(), follow=True)
    assert response.redirect_chain == [(url("edit", comparison_task) + "#hand-in", 302)]
    assert not Version.objects.filter(state="submitted").exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    checklist = section(response.content.decode(), "checklist")
    assert checklist.count("<li>") == 2
    assert escape(CRITERIA[3]) in checklist


def test_work_without_the_report_is_not_handed_in(login, cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    response = login(cast.student).post(url("submit", comparison_task), statement(), follow=True)
    assert not Version.objects.exists()
    [message] = list(response.context["messages"])
    assert message.level_tag == "error"
    checklist = section(response.content.decode(), "checklist")
    assert checklist.count("<li>") == 1  # only the report


def test_the_statement_must_be_ticked(login, cast, comparison_task):
    upload_report(comparison_task, cast.student)
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    response = login(cast.student).post(url("submit", comparison_task), {"own_work": "on"}, follow=True)
    assert response.redirect_chain == [(url("edit", comparison_task) + "#hand-in", 302)]
    assert len(list(response.context["messages"])) == 1
    assert not Version.objects.filter(state="submitted").exists()


def test_an_edit_after_hand_in_leaves_the_version_as_it_was_and_the_page_says_so(login, cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    content = version.content
    client = login(cast.student)
    client.post(url("save", comparison_task), analysis_values(**{"cell-c3-m1": "Өзгертілген"}), headers=FETCH)
    version.refresh_from_db()
    assert version.content == content
    page = client.get(url("edit", comparison_task)).content.decode()
    versions = section(page, "versions-heading")
    assert 'data-version="1"' in versions
    assert reverse("portfolio:file_download", args=[version.files.get(is_generated=True).pk]) in versions
    assert "Өзгертілген</textarea>" in page


def test_handing_in_again_after_an_edit_makes_version_2(login, cast, comparison_task):
    hand_in_analysis(comparison_task, cast.student)
    values = {**analysis_values(**{"cell-c3-m1": "Жаңа"}), **statement(), "analysis_form": "1"}
    login(cast.student).post(url("submit", comparison_task), values)
    versions = Version.objects.filter(state="submitted").order_by("number")
    assert [version.number for version in versions] == [1, 2]
    assert versions[0].content["analysis"]["cells"]["c3"]["m1"] == CELL
    assert versions[1].files.filter(is_generated=False).get().original_name == "есеп.docx"


# The task page ----------------------------------------------------------------------------------------------------


def task_page(client, task):
    return client.get(reverse("grading:task_detail", args=[task.course_id, task.pk])).content.decode()


def test_the_task_page_leads_the_student_to_their_comparison(login, cast, comparison_task):
    client = login(cast.student)
    panel = section(task_page(client, comparison_task), "analysis")
    assert f'href="{url("edit", comparison_task)}"' in panel
    assert _("Nothing saved yet") in panel
    copy = services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values())
    panel = section(task_page(client, comparison_task), "analysis")
    assert _("Nothing saved yet") not in panel
    assert date_format(timezone.localtime(copy.saved_at), "DATETIME_FORMAT") in panel
    assert 'id="id_files"' not in task_page(client, comparison_task)  # no file hand-in for work built in the portal


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_task_page_gives_the_staff_a_note_and_no_way_into_a_students_page(login, cast, comparison_task, who):
    page = task_page(login(getattr(cast, who)), comparison_task)
    assert 'id="analysis"' in page
    assert url("edit", comparison_task) not in page


def test_other_tasks_have_no_comparison_panel(login, cast):
    assert 'id="analysis"' not in task_page(login(cast.student), cast.tasks["СӨЖ 1"])
