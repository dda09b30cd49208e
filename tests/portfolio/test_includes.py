"""What portfolio's includes show on other apps' pages: the hand-in panel and its receipt on the student's task page
(templates/portfolio/includes/hand_in_panel.html), the student's statement on the grading page
(templates/portfolio/includes/statement.html)."""

from html.parser import HTMLParser

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from portfolio import services
from portfolio.forms import SubmitForm
from tests.portfolio.conftest import BEFORE, docx, hand_in, pdf

pytestmark = pytest.mark.django_db


def task_url(task):
    return reverse("grading:task_detail", args=[task.course_id, task.pk])


def grade_url(version):
    return reverse("grading:grade", args=[version.submission_id])


class Forms(HTMLParser):
    """Each form of a page: its attributes, its inputs and its buttons."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({**attrs, "inputs": {}, "buttons": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"][attrs.get("name")] = attrs
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append(attrs)


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


def panel(html):
    return html.split('<section class="card mt-4 hand-in"')[1].split('<script src="/static/js/hand_in.js')[0]


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, essay, handed_in):
    for url in (task_url(essay), grade_url(handed_in)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_student", "other_instructor"])
def test_people_of_another_course_reach_neither_page(login, cast, essay, handed_in, who):
    client = login(getattr(cast, who))
    assert client.get(task_url(essay)).status_code == 404
    assert client.get(grade_url(handed_in)).status_code in {403, 404}
    assert "data-statement-version" not in client.get(grade_url(handed_in)).content.decode()


def test_a_classmate_sees_their_own_panel_not_the_students_receipt(login, cast, essay, handed_in):
    html = login(cast.classmate).get(task_url(essay)).content.decode()
    assert "Әсел эссе.pdf" not in html
    assert 'class="card mb-4 receipt"' not in html


def test_staff_get_no_hand_in_panel(login, cast, essay, handed_in):
    html = login(cast.instructor).get(task_url(essay)).content.decode()
    assert "hand-in-form" not in html and "Әсел эссе.pdf" not in html


# The hand-in panel ----------------------------------------------------------------------------


def test_the_hand_in_form_itself_carries_the_file_picker(login, cast, essay):
    forms = forms_of(login(cast.student).get(task_url(essay)).content.decode())
    submit = reverse("portfolio:draft_submit", args=[essay.course_id, essay.pk])
    upload = reverse("portfolio:draft_upload", args=[essay.course_id, essay.pk])
    (hand_in_form,) = [form for form in forms if form.get("action") == submit]
    assert hand_in_form["enctype"] == "multipart/form-data"
    assert hand_in_form["inputs"]["files"]["type"] == "file"
    assert "multiple" in hand_in_form["inputs"]["files"] and "required" in hand_in_form["inputs"]["files"]
    assert {"own_work", "deidentified"} <= hand_in_form["inputs"].keys()
    # "Upload to the draft" sends the same picked files to the staging view, without the statement.
    (stage,) = [button for button in hand_in_form["buttons"] if button.get("formaction") == upload]
    assert "formnovalidate" in stage
    assert [form for form in forms if "files" in form["inputs"]] == [hand_in_form]  # one picker on the page


def test_after_a_hand_in_the_panel_says_the_next_version_starts_from_its_files(login, cast, essay):
    first = services.draft_submit(
        task=essay, student=cast.student, uploads=[docx("эссе.docx"), pdf()], statement_accepted=True, now=BEFORE
    )
    html = login(cast.student).get(task_url(essay)).content.decode()
    shown = panel(html)
    assert "2-нұсқа 1-нұсқаның файлдарынан басталады; ауыстырғыңыз келетінін алып тастаңыз." in shown
    assert "2-нұсқаны тапсыру" in shown
    removals = {form["action"] for form in forms_of(html) if "/remove/" in form.get("action", "")}
    assert removals == {
        reverse("portfolio:draft_file_remove", args=[essay.course_id, essay.pk, item.pk]) for item in first.files.all()
    }
    # Handing in without a new pick is allowed by the browser; the version already has files to start from.
    (hand_in_form,) = [form for form in forms_of(html) if "files" in form["inputs"]]
    assert "required" not in hand_in_form["inputs"]["files"]


def test_the_panel_speaks_russian_too(login, cast, essay, handed_in, client):
    client = login(cast.student)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    shown = panel(client.get(task_url(essay)).content.decode())
    assert "Версия 2 начинается с файлов версии 1; удалите то, что хотите заменить." in shown
    assert "Квитанция: версия 1 сдана" in shown
    assert "Загрузить в черновик" in shown and ">Сдать<" in shown


def test_the_receipt_lists_every_file_of_the_latest_version_and_marks_the_copies(login, cast, essay):
    hand_in(essay, cast.student, docx("эссе.docx"))
    second = services.draft_submit(
        task=essay, student=cast.student, uploads=[pdf("қосымша.pdf")], statement_accepted=True, now=BEFORE
    )
    receipt = panel(login(cast.student).get(task_url(essay)).content.decode()).split("</section>")[0]
    assert "Түбіртек: 2-нұсқа тапсырылды" in receipt
    assert date_format(timezone.localtime(second.submitted_at), "DATETIME_FORMAT") in receipt
    assert "уақытында" in receipt
    for item in second.files.all():
        assert f'data-file="{item.original_name}"' in receipt
        assert f'<code title="{item.sha256}">{item.sha256[:12]}</code>' in receipt
    assert receipt.count("1-нұсқадан") == 1  # эссе.docx came over from version 1


@pytest.mark.parametrize("count", [1, 8])
def test_the_task_page_queries_do_not_grow_with_the_files(login, cast, essay, django_assert_max_num_queries, count):
    with override_settings(PORTFOLIO_MAX_FILES=20):
        uploads = [docx(f"бөлім-{number}.docx") for number in range(count)]
        services.draft_submit(task=essay, student=cast.student, uploads=uploads, statement_accepted=True, now=BEFORE)
        services.draft_add_files(task=essay, student=cast.student, uploads=[pdf()], now=BEFORE)
    client = login(cast.student)
    with django_assert_max_num_queries(9):  # the ninth reads the task's consultation and defence slots
        html = client.get(task_url(essay)).content.decode()
    assert html.count('data-file="бөлім-') == count  # the receipt's rows
    assert html.count('data-name="бөлім-') == count  # the draft's copies


# The statement on the grading page ---------------------------------------------------------------


def test_the_grading_page_shows_the_statement_and_its_moment(login, cast, essay, handed_in):
    html = login(cast.instructor).get(grade_url(handed_in)).content.decode()
    block = html.split('data-statement-version="1"')[1].split("</ul>")[0]
    moment = date_format(timezone.localtime(handed_in.submitted_at), "DATETIME_FORMAT")
    assert f"Студент {moment} растаған мәлімдеме:" in block
    assert str(SubmitForm.base_fields["own_work"].label) in block
    assert str(SubmitForm.base_fields["deidentified"].label) in block
