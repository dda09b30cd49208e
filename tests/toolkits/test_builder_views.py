"""The student's page of the assessment toolkit (СӨЖ 3), its server side: who may reach it, saving (as the page's
script does and without it), the presentation's upload and removal, the blank forms to print, handing in, and the
task page's panel. What the page draws is tests/e2e/test_toolkit_builder.py's and the editor's tests'.

The views use the real clock; the cast's course ran in 2025 and СӨЖ 3 has no cut-off, so a hand-in made now is
accepted (and late)."""

import subprocess
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from portfolio import services as portfolio_services
from portfolio.models import SubmissionFile, Version, WorkingCopy
from tests.portfolio.conftest import docx, pdf
from tests.toolkits.conftest import CRITERIA, QUESTIONS, hand_in_toolkit, pptx_upload, toolkit_values
from toolkits import services
from toolkits.data import MAX_INSTRUMENTS, MAX_ITEMS, MAX_TEXT, toolkit_problems

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}
PURPOSE = "Клиенттің отбасы, денсаулығы және тұрмысы туралы негізгі мәліметтерді жинау"  # of toolkit_values()
SLIDES = ("Бағалау құралдарының жиынтығы", "Критерийлер", "Қорытынды")  # pptx_upload()'s titles
POSTS = ("save", "submit", "presentation_upload")


def url(name, task, *args):
    return reverse(f"toolkits:{name}", args=[task.course_id, task.pk, *args])


def saved(task, student):
    return WorkingCopy.objects.filter(task=task, student=student).first()


def statement(**values):
    return {"own_work": "on", "deidentified": "on", **values}


def upload_presentation(task, student, name="қорғау.pptx"):
    portfolio_services.draft_add_files(task=task, student=student, uploads=[pptx_upload(name)])
    return SubmissionFile.objects.get(version__submission__student=student, original_name=name)


def section(page, ident):
    """The HTML of the page's section (or other element) of id ``ident``, up to the next one of its kind."""
    return page.split(f'id="{ident}"')[1].split("</section>")[0]


def messages_of(response):
    return [(message.level_tag, str(message)) for message in response.context["messages"]]


def pdf_text(content):
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


# Who may reach the page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["edit", "forms_pdf"])
def test_anonymous_visitors_are_sent_to_sign_in(client, toolkit_task, name):
    response = client.get(url(name, toolkit_task))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", POSTS)
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, toolkit_task, name):
    response = client.post(url(name, toolkit_task), {**toolkit_values(), "presentation": pptx_upload()})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not WorkingCopy.objects.exists()
    assert not Version.objects.exists()


def test_a_classmate_sees_their_own_empty_toolkit_never_the_students(login, cast, toolkit_task):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    upload_presentation(toolkit_task, cast.student)
    client = login(cast.classmate)
    page = client.get(url("edit", toolkit_task)).content.decode()
    assert 'id="toolkit-form"' in page
    assert PURPOSE not in page
    assert CRITERIA[0][0] not in page
    assert "қорғау.pptx" not in page
    forms = pdf_text(client.get(url("forms_pdf", toolkit_task)).content)
    assert cast.classmate.display_name in forms
    assert CRITERIA[0][0] not in forms and cast.student.display_name not in forms


def test_a_classmate_cannot_remove_the_students_presentation(login, cast, toolkit_task):
    presentation = upload_presentation(toolkit_task, cast.student)
    response = login(cast.classmate).post(url("presentation_remove", toolkit_task, presentation.pk))
    assert response.status_code == 404
    assert SubmissionFile.objects.filter(pk=presentation.pk).exists()


@pytest.mark.parametrize("name", POSTS)
def test_a_classmates_posts_touch_only_their_own_work(login, cast, toolkit_task, name):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    values = {**toolkit_values(**{"instruments-0-purpose": "Басқа"}), **statement(), "presentation": pptx_upload()}
    login(cast.classmate).post(url(name, toolkit_task), values, headers=FETCH)
    copy = saved(toolkit_task, cast.student)
    assert (copy.revision, copy.data["instruments"][0]["purpose"]) == (1, PURPOSE)
    assert not Version.objects.filter(submission__student=cast.student).exists()


def test_a_student_of_another_course_gets_404(login, cast, toolkit_task):
    client = login(cast.other_student)
    for name in ("edit", "forms_pdf"):
        assert client.get(url(name, toolkit_task)).status_code == 404
    for name in POSTS:
        assert client.post(url(name, toolkit_task), toolkit_values(), headers=FETCH).status_code == 404
    assert not WorkingCopy.objects.exists()


@pytest.mark.parametrize("who", ["instructor", "other_instructor", "dept_admin"])
def test_staff_are_refused_the_students_page_and_cannot_post(login, cast, toolkit_task, who):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    presentation = upload_presentation(toolkit_task, cast.student)
    client = login(getattr(cast, who))
    for name in ("edit", "forms_pdf"):
        response = client.get(url(name, toolkit_task))
        assert response.status_code == 403
        assert PURPOSE not in response.content.decode()
    for name in POSTS:
        values = {**toolkit_values(**{"instruments-0-purpose": "Басқа"}), **statement()}
        assert client.post(url(name, toolkit_task), values).status_code == 403
    assert client.post(url("presentation_remove", toolkit_task, presentation.pk)).status_code == 403
    assert saved(toolkit_task, cast.student).revision == 1
    assert SubmissionFile.objects.filter(pk=presentation.pk).exists()
    assert not Version.objects.filter(state="submitted").exists()


def test_the_page_is_only_for_an_assessment_toolkit_task(login, cast):
    client = login(cast.student)
    for label in ("СӨЖ 1", "СӨЖ 4", "СОӨЖ 2-3"):
        assert client.get(url("edit", cast.tasks[label])).status_code == 404
        assert client.get(url("forms_pdf", cast.tasks[label])).status_code == 404
        assert client.post(url("save", cast.tasks[label]), toolkit_values()).status_code == 404
    assert not WorkingCopy.objects.exists()


def test_a_hidden_toolkit_task_has_no_page(login, cast, toolkit_task):
    toolkit_task.is_hidden = True
    toolkit_task.save()
    assert login(cast.student).get(url("edit", toolkit_task)).status_code == 404


def test_the_posts_take_only_posts_and_the_forms_only_gets(login, cast, toolkit_task):
    client = login(cast.student)
    for name in POSTS:
        assert client.get(url(name, toolkit_task)).status_code == 405
    assert client.post(url("forms_pdf", toolkit_task)).status_code == 405
    assert client.post(url("edit", toolkit_task)).status_code == 405


# Saving -----------------------------------------------------------------------------------------------------------


def test_the_scripts_save_answers_with_the_revision_the_checklist_and_the_coverage(login, cast, toolkit_task):
    client = login(cast.student)
    first = {"criteria-0-key": "c0", "criteria-0-name": CRITERIA[0][0], "revision": "0"}
    response = client.post(url("save", toolkit_task), first, headers=FETCH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    answer = response.json()
    assert set(answer) == {"revision", "saved_at", "problems", "coverage_html"}
    copy = saved(toolkit_task, cast.student)
    assert answer["revision"] == 1
    assert answer["saved_at"] == timezone.localtime(copy.saved_at).strftime("%H:%M")
    assert copy.data["criteria"] == [{"key": "c0", "name": CRITERIA[0][0], "definition": ""}]
    listed = [problem.message for problem in toolkit_problems(copy.data)]
    assert answer["problems"] == [*listed, _("Upload your presentation.")]

    answer = client.post(url("save", toolkit_task), {**toolkit_values(), "revision": "1"}, headers=FETCH).json()
    assert answer["revision"] == 2
    assert answer["problems"] == [_("Upload your presentation.")]  # every check passes: only the presentation
    for name, _definition in CRITERIA:
        assert escape(name) in answer["coverage_html"]
    upload_presentation(toolkit_task, cast.student)
    answer = client.post(url("save", toolkit_task), {**toolkit_values(), "revision": "2"}, headers=FETCH).json()
    assert answer["problems"] == []


def test_the_save_without_the_script_stores_the_toolkit_and_comes_back_to_the_page(login, cast, toolkit_task):
    response = login(cast.student).post(url("save", toolkit_task), toolkit_values(), follow=True)
    assert response.redirect_chain == [(url("edit", toolkit_task), 302)]
    assert messages_of(response) == [("success", _("Your draft is saved."))]
    data = saved(toolkit_task, cast.student).data
    assert [criterion["name"] for criterion in data["criteria"]] == [name for name, _definition in CRITERIA]
    assert [item["text"] for item in data["instruments"][0]["items"]] == [question[1] for question in QUESTIONS]
    assert data["instruments"][1]["items"][0]["anchors"] == {"1": "ешқашан", "3": "кейде", "5": "әрқашан"}


def test_a_toolkit_at_its_limits_saves_through_the_page(login, cast, toolkit_task):
    """Ten instruments of sixty items, each a 0–10 scale with all eleven anchors: the largest form the page can send
    (over ten thousand fields), saved whole."""
    values = {"category": "elderly", "criteria-0-key": "c0", "criteria-0-name": "Денсаулық"}
    for number in range(MAX_INSTRUMENTS):
        values |= {f"instruments-{number}-key": f"i{number}", f"instruments-{number}-title": f"Шкала {number + 1}"}
        for item in range(MAX_ITEMS):
            prefix = f"instruments-{number}-items-{item}"
            values |= {
                f"{prefix}-key": f"q{number}x{item}",
                f"{prefix}-text": f"Тұжырым {item + 1}",
                f"{prefix}-criterion": "c0",
                f"{prefix}-answer": "scale",
                f"{prefix}-options": "",
                f"{prefix}-scale_from": "0",
                f"{prefix}-scale_to": "10",
                **{f"{prefix}-anchor-{point}": f"{point} балл" for point in range(11)},
            }
    assert len(values) > 10_000
    response = login(cast.student).post(url("save", toolkit_task), values, headers=FETCH)
    assert response.status_code == 200
    instruments = saved(toolkit_task, cast.student).data["instruments"]
    assert [len(instrument["items"]) for instrument in instruments] == [MAX_ITEMS] * MAX_INSTRUMENTS
    assert instruments[-1]["items"][-1]["anchors"]["10"] == "10 балл"


def test_refused_input_answers_400_with_the_message_and_saves_nothing(login, cast, toolkit_task):
    client = login(cast.student)
    client.post(url("save", toolkit_task), toolkit_values(), headers=FETCH)
    too_long = {**toolkit_values(**{"instruments-0-purpose": "ә" * (MAX_TEXT + 1)}), "revision": "1"}
    response = client.post(url("save", toolkit_task), too_long, headers=FETCH)
    assert response.status_code == 400
    answer = response.json()
    assert answer["stale"] is False
    [message] = answer["errors"]
    assert str(MAX_TEXT) in message
    copy = saved(toolkit_task, cast.student)
    assert (copy.revision, copy.data["instruments"][0]["purpose"]) == (1, PURPOSE)


def test_refused_input_without_the_script_shows_the_page_again_with_what_was_typed(login, cast, toolkit_task):
    typed = "Жаңа мақсат " + "ә" * MAX_TEXT
    response = login(cast.student).post(url("save", toolkit_task), toolkit_values(**{"instruments-0-purpose": typed}))
    assert response.status_code == 400
    page = response.content.decode()
    assert str(MAX_TEXT) in page
    assert typed in page
    assert not WorkingCopy.objects.exists()


def test_a_save_over_a_revision_saved_since_elsewhere_is_refused_and_changes_nothing(login, cast, toolkit_task):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    services.toolkit_save(
        task=toolkit_task, student=cast.student, values=toolkit_values(**{"instruments-0-purpose": "Басқа"})
    )
    before = saved(toolkit_task, cast.student)
    values = {**toolkit_values(**{"instruments-0-purpose": "Ескі бет"}), "revision": "1"}
    response = login(cast.student).post(url("save", toolkit_task), values, headers=FETCH)
    assert response.status_code == 409
    answer = response.json()
    assert answer["stale"] is True
    assert len(answer["errors"]) == 1
    copy = saved(toolkit_task, cast.student)
    assert (copy.revision, copy.data, copy.saved_at) == (2, before.data, before.saved_at)


# The presentation ----------------------------------------------------------------------------------------------


def test_the_presentation_uploaded_is_staged_and_shown_with_its_slides(login, cast, toolkit_task):
    client = login(cast.student)
    response = client.post(url("presentation_upload", toolkit_task), {"presentation": pptx_upload()}, follow=True)
    assert response.redirect_chain == [(url("edit", toolkit_task) + "#presentation", 302)]
    assert [level for level, _text in messages_of(response)] == ["success"]
    presentation = SubmissionFile.objects.get()
    assert (presentation.version.is_draft, presentation.original_name, presentation.page_count) == (
        True,
        "қорғау.pptx",
        len(SLIDES),
    )
    page = section(response.content.decode(), "presentation")
    assert 'data-presentation="қорғау.pptx"' in page
    for title in SLIDES:
        assert title in page
    assert f'action="{url("presentation_remove", toolkit_task, presentation.pk)}"' in page
    assert 'name="presentation"' not in page  # one presentation a version: no upload while it is there


def test_a_pdf_presentation_is_taken_too(login, cast, toolkit_task):
    upload = pdf("слайдтар.pdf")
    response = login(cast.student).post(url("presentation_upload", toolkit_task), {"presentation": upload}, follow=True)
    assert [level for level, _text in messages_of(response)] == ["success"]
    assert SubmissionFile.objects.get().original_name == "слайдтар.pdf"


def test_a_second_presentation_is_refused_while_one_is_there(login, cast, toolkit_task):
    upload_presentation(toolkit_task, cast.student)
    response = login(cast.student).post(
        url("presentation_upload", toolkit_task), {"presentation": pptx_upload("басқа.pptx")}, follow=True
    )
    assert messages_of(response) == [
        ("error", _("Your presentation is already here: remove it first to upload another."))
    ]
    assert list(SubmissionFile.objects.values_list("original_name", flat=True)) == ["қорғау.pptx"]


@pytest.mark.parametrize(
    "upload",
    [docx("қорғау.docx"), SimpleUploadedFile("қорғау.txt", b"plain text"), SimpleUploadedFile("жалған.pptx", b"no")],
    ids=["docx", "txt", "not-a-pptx"],
)
def test_a_file_that_is_no_presentation_is_refused_with_a_message(login, cast, toolkit_task, upload):
    response = login(cast.student).post(url("presentation_upload", toolkit_task), {"presentation": upload}, follow=True)
    [(level, _text)] = messages_of(response)
    assert level == "error"
    assert not SubmissionFile.objects.exists()


def test_an_upload_without_a_file_says_so(login, cast, toolkit_task):
    response = login(cast.student).post(url("presentation_upload", toolkit_task), {}, follow=True)
    assert messages_of(response) == [
        (
            "error",
            _(
                "Choose the file of your presentation. If you chose one, its name could not be read: rename the "
                "file and try again."
            ),
        )
    ]


def test_the_student_removes_their_presentation(login, cast, toolkit_task):
    presentation = upload_presentation(toolkit_task, cast.student)
    response = login(cast.student).post(url("presentation_remove", toolkit_task, presentation.pk), follow=True)
    assert response.redirect_chain == [(url("edit", toolkit_task) + "#presentation", 302)]
    assert [level for level, _text in messages_of(response)] == ["success"]
    assert not SubmissionFile.objects.exists()
    assert 'name="presentation"' in section(response.content.decode(), "presentation")


def test_only_a_presentation_of_the_students_next_hand_in_can_be_removed(login, cast, toolkit_task):
    version = hand_in_toolkit(toolkit_task, cast.student)
    document = version.files.get(is_generated=True)
    portfolio_services.draft_add_files(task=cast.tasks["СОӨЖ 1"], student=cast.student, uploads=[docx("эссе.docx")])
    essay_file = SubmissionFile.objects.get(original_name="эссе.docx")
    client = login(cast.student)
    for pk in (document.pk, essay_file.pk, 999_999):
        assert client.post(url("presentation_remove", toolkit_task, pk)).status_code == 404
    assert SubmissionFile.objects.filter(pk__in=[document.pk, essay_file.pk]).count() == 2


# The blank forms -----------------------------------------------------------------------------------------------


def test_the_blank_forms_of_the_working_copy_download_as_a_pdf_with_its_criteria(login, cast, toolkit_task):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    response = login(cast.student).get(url("forms_pdf", toolkit_task))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    # The name is the translated "Assessment toolkit — СӨЖ 3 — blank forms.pdf", quoted as RFC 6266 asks.
    assert response["Content-Disposition"].endswith(quote(" — бланкілер.pdf"))
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for name, _definition in CRITERIA:
        assert name in text
    assert QUESTIONS[0][1] in text
    assert _("Draft") in text


def test_the_blank_forms_follow_the_latest_save_not_the_version_handed_in(login, cast, toolkit_task):
    hand_in_toolkit(toolkit_task, cast.student)
    changed = toolkit_values(**{"criteria-3-name": "Қауымдастықпен байланысы"})
    services.toolkit_save(task=toolkit_task, student=cast.student, values=changed)
    text = pdf_text(login(cast.student).get(url("forms_pdf", toolkit_task)).content)
    assert "Қауымдастықпен байланысы" in text
    assert CRITERIA[3][0] not in text


def test_before_any_save_the_blank_forms_are_the_cover_alone(login, cast, toolkit_task):
    response = login(cast.student).get(url("forms_pdf", toolkit_task))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert cast.student.display_name in text
    assert toolkit_task.display_label in text
    assert not WorkingCopy.objects.exists()  # looking saves nothing


# Handing in -------------------------------------------------------------------------------------------------------


def test_a_complete_toolkit_is_handed_in_as_version_1_with_its_pdf_and_the_presentation(login, cast, toolkit_task):
    client = login(cast.student)
    upload_presentation(toolkit_task, cast.student)
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    response = client.post(url("submit", toolkit_task), statement(), follow=True)
    task_page_url = reverse("grading:task_detail", args=[cast.course.pk, toolkit_task.pk])
    assert response.redirect_chain == [(task_page_url, 302)]
    version = Version.objects.get(submission__student=cast.student, submission__task=toolkit_task)
    assert (version.number, version.content["kind"]) == (1, "assessment_toolkit")
    assert version.content["toolkit"]["instruments"][0]["purpose"] == PURPOSE
    document, presentation = version.files.get(is_generated=True), version.files.get(is_generated=False)
    assert presentation.original_name == "қорғау.pptx"
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    [(level, message)] = messages_of(response)
    assert level == "warning"  # handed in now, long after the course's week 14: late
    assert f'href="{reverse("portfolio:file_download", args=[document.pk])}"' in message


def test_handing_in_from_the_page_saves_what_it_holds_first(login, cast, toolkit_task):
    upload_presentation(toolkit_task, cast.student)
    services.toolkit_save(
        task=toolkit_task, student=cast.student, values=toolkit_values(**{"instruments-0-purpose": "Ескі"})
    )
    values = {**toolkit_values(), **statement(), "toolkit_form": "1", "revision": "1"}
    login(cast.student).post(url("submit", toolkit_task), values)
    version = Version.objects.get(state="submitted")
    assert version.content["toolkit"]["instruments"][0]["purpose"] == PURPOSE
    assert saved(toolkit_task, cast.student).data["instruments"][0]["purpose"] == PURPOSE


def test_handing_in_from_a_page_behind_another_save_hands_nothing_in(login, cast, toolkit_task):
    upload_presentation(toolkit_task, cast.student)
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(**{"category": "youth"}))
    values = {**toolkit_values(**{"instruments-0-purpose": "Ескі бет"}), **statement(), "toolkit_form": "1"}
    response = login(cast.student).post(url("submit", toolkit_task), {**values, "revision": "1"})
    assert response.status_code == 400
    assert not Version.objects.filter(state="submitted").exists()
    assert saved(toolkit_task, cast.student).data["instruments"][0]["purpose"] == PURPOSE


def test_a_hand_in_without_the_pages_fields_never_empties_the_toolkit(login, cast, toolkit_task):
    upload_presentation(toolkit_task, cast.student)
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    login(cast.student).post(url("submit", toolkit_task), statement())
    assert saved(toolkit_task, cast.student).data["instruments"][0]["purpose"] == PURPOSE
    assert Version.objects.filter(state="submitted").count() == 1


def test_a_toolkit_that_fails_the_checks_is_refused_with_one_message_pointing_to_the_checklist(
    login, cast, toolkit_task
):
    upload_presentation(toolkit_task, cast.student)
    # The questionnaire's instructions gone, and the third criterion served by no item any more.
    values = toolkit_values(**{"instruments-0-instructions": "", "instruments-1-items-3-criterion": "c1"})
    values |= {"instruments-0-items-2-criterion": "c1", "instruments-0-items-3-criterion": "c1"}
    services.toolkit_save(task=toolkit_task, student=cast.student, values=values)
    response = login(cast.student).post(url("submit", toolkit_task), statement(), follow=True)
    assert response.redirect_chain == [(url("edit", toolkit_task) + "#hand-in", 302)]
    assert not Version.objects.filter(state="submitted").exists()
    assert messages_of(response) == [
        ("error", _("The toolkit was not handed in: put right everything listed under “Before you hand in”."))
    ]
    checklist = section(response.content.decode(), "checklist")
    assert checklist.count("<li") == 2
    assert escape(CRITERIA[2][0]) in checklist


def test_checks_failing_and_no_presentation_make_one_message_and_the_checklist_lists_them(login, cast, toolkit_task):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(**{"category": ""}))
    response = login(cast.student).post(url("submit", toolkit_task), statement(), follow=True)
    assert not Version.objects.exists()
    assert messages_of(response) == [
        ("error", _("The toolkit was not handed in: put right everything listed under “Before you hand in”."))
    ]
    checklist = section(response.content.decode(), "checklist")
    assert checklist.count("<li") == 2  # the category, and the presentation


def test_a_toolkit_without_the_presentation_is_not_handed_in(login, cast, toolkit_task):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    response = login(cast.student).post(url("submit", toolkit_task), statement(), follow=True)
    assert not Version.objects.exists()
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "pptx" in text  # the one thing missing, said as it is
    checklist = section(response.content.decode(), "checklist")
    assert checklist.count("<li") == 1  # only the presentation


def test_the_statement_must_be_ticked(login, cast, toolkit_task):
    upload_presentation(toolkit_task, cast.student)
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    response = login(cast.student).post(url("submit", toolkit_task), {"own_work": "on"}, follow=True)
    assert response.redirect_chain == [(url("edit", toolkit_task) + "#hand-in", 302)]
    assert len(messages_of(response)) == 1
    assert not Version.objects.filter(state="submitted").exists()


def test_handing_in_again_after_an_edit_makes_version_2_with_the_same_presentation(login, cast, toolkit_task):
    hand_in_toolkit(toolkit_task, cast.student)
    values = {**toolkit_values(**{"instruments-0-purpose": "Жаңа"}), **statement(), "toolkit_form": "1"}
    login(cast.student).post(url("submit", toolkit_task), values)
    versions = Version.objects.filter(state="submitted").order_by("number")
    assert [version.number for version in versions] == [1, 2]
    assert versions[1].content["toolkit"]["instruments"][0]["purpose"] == "Жаңа"
    assert versions[1].files.filter(is_generated=False).get().original_name == "қорғау.pptx"


# The task page ----------------------------------------------------------------------------------------------------


def task_page(client, task):
    return client.get(reverse("grading:task_detail", args=[task.course_id, task.pk])).content.decode()


def test_the_task_page_leads_the_student_to_their_toolkit(login, cast, toolkit_task):
    client = login(cast.student)
    panel = section(task_page(client, toolkit_task), "toolkit")
    assert f'href="{url("edit", toolkit_task)}"' in panel
    assert _("Nothing saved yet") in panel
    copy = services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values())
    panel = section(task_page(client, toolkit_task), "toolkit")
    assert _("Nothing saved yet") not in panel
    assert date_format(timezone.localtime(copy.saved_at), "DATETIME_FORMAT") in panel
    assert 'id="id_files"' not in task_page(client, toolkit_task)  # no file hand-in for work built in the portal


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_task_page_gives_the_staff_a_note_and_no_way_into_a_students_toolkit(login, cast, toolkit_task, who):
    page = task_page(login(getattr(cast, who)), toolkit_task)
    assert 'id="toolkit"' in page
    assert url("edit", toolkit_task) not in page


def test_other_tasks_have_no_toolkit_panel(login, cast):
    client = login(cast.student)
    for label in ("СӨЖ 1", "СӨЖ 4"):
        assert 'id="toolkit"' not in task_page(client, cast.tasks[label])
