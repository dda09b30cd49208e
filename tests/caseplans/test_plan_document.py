"""The printed individual work plan (caseplans/documents.py, templates/caseplans/includes/plan_document.html): what
the PDF a student hands in says, read back with ``pdftotext``.

Who may download it is the portfolio's rule (tests/portfolio); the grading and submission pages are in
test_plan_grading.py."""

import datetime as dt
import subprocess

import pytest
from django.utils import translation

from caseplans.documents import plan_html, plan_pdf
from caseplans.services import plan_save, plan_submit
from tests.caseplans.conftest import WORKING, plan_values

pytestmark = pytest.mark.django_db

# The Kazakh headings of the plan, as locale/kk/LC_MESSAGES/django.po translates them.
KAZAKH_HEADINGS = ("Жеке жұмыс жоспары", "Мақсаттар", "Іс-шаралар", "Ресурстар мен жолдамалар", "Қолдар")


def pdf_text(content):
    """The PDF's text in reading order, whitespace collapsed so that a wrapped cell reads whole."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def pdf_pages(content):
    result = subprocess.run(["pdfinfo", "-"], input=content, capture_output=True, check=True)
    line = next(line for line in result.stdout.decode().splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def handed_in(case_task, student, values):
    plan_save(task=case_task, student=student, values=values, now=WORKING)
    return plan_submit(task=case_task, student=student, statement_accepted=True, now=WORKING)


def stored_pdf(version):
    with version.files.get().file.open("rb") as stream:
        return stream.read()


def large_plan_values(entry_id):
    """A plan of 10 goals and 30 interventions, three to a goal, each intervention named by its number."""
    values = plan_values(entry_id)
    for key in [key for key in values if key.startswith(("goals-", "interventions-"))]:
        del values[key]
    responsible = ("case_manager", "client", "agency")
    for goal in range(10):
        values |= {
            f"goals-{goal}-key": f"goal{goal}",
            f"goals-{goal}-text": f"Мақсат №{goal + 1}: клиенттің жағдайын жақсарту",
            f"goals-{goal}-indicator": f"Көрсеткіш №{goal + 1} орындалды",
            f"goals-{goal}-target": (dt.date(2025, 10, 20) + dt.timedelta(days=goal * 5)).isoformat(),
        }
    for number in range(30):
        values |= {
            f"interventions-{number}-action": f"Іс-шара-{number + 1:02d} жоспар бойынша жүргізіледі",
            f"interventions-{number}-responsible": responsible[number % 3],
            f"interventions-{number}-agency": "ХҚКО" if number % 3 == 2 else "",
            f"interventions-{number}-due": (dt.date(2025, 10, 15) + dt.timedelta(days=number * 2)).isoformat(),
            f"interventions-{number}-goal": f"goal{number // 3}",
        }
    return values


# The document -------------------------------------------------------------------------------------------------------


def test_the_handed_in_pdf_shows_the_plan_in_kazakh(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    text = pdf_text(stored_pdf(version))
    for heading in KAZAKH_HEADINGS:
        assert heading in text, heading
    # The header: course, student, case, version.
    assert "Кейс-менеджмент (Тәжірбелік қолдану) (CM-7B11401)" in text
    assert "Әбілқасымова Әсел" in text
    assert "Айгүл: тұрмыстық зорлық-зомбылық" in text
    assert "1-нұсқа, тапсырылған уақыты: 2025 ж. 10 қазан, 12:00" in text
    # The case text as it was given.
    assert "Жұмысы жоқ, құжаттарының бір бөлігі күйеуінде қалды." in text
    # The student's goals with their indicator and target date in the Kazakh short format.
    assert "Клиент пен балалардың қауіпсіздігін қамтамасыз ету" in text
    assert "Дағдарыс орталығына орналасты, қорғау нұсқамасы алынды" in text
    assert "31.10.2025" in text
    assert "Құжаттарды қалпына келтіру" in text
    # An intervention, by an agency named, for the second goal.
    assert "ХҚКО-да құжаттарды қалпына келтіру" in text
    assert "20.11.2025" in text
    # The problems in their order, the monitoring, the review and the closing criteria.
    assert text.index("Қауіпсіздікке қатер") < text.index("Құжаттардың болмауы")
    assert "Апта сайын телефон арқылы байланыс" in text
    assert "Қауіпсіздік жоспарының орындалуы" in text
    assert "15.11.2025" in text
    assert "Клиент қауіпсіз жерде тұрады" in text


def test_a_referral_to_a_directory_entry_carries_its_contacts(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    text = pdf_text(stored_pdf(version))
    assert "«Ақ жүрек» қоры" in text
    assert "+7 727 300 00 00" in text
    assert "Абай даңғылы, 10" in text
    assert "info@akzhurek.kz" in text
    assert "Тәулік бойы" in text
    assert "Уақытша баспана және психологиялық көмек" in text
    # A referral written out by the student is shown as written.
    assert "Заң клиникасы" in text


def test_the_contacts_are_those_of_the_hand_in_not_of_the_directory_now(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    entry.phones = "+7 727 999 99 99"
    entry.save()
    html = plan_html(content=version.content, task=case_task, student=cast.student, version=version)
    assert "+7 727 300 00 00" in html
    assert "+7 727 999 99 99" not in html


def test_every_intervention_names_the_goal_it_serves_by_number_and_text(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    text = pdf_text(stored_pdf(version))
    documents = text.index("ХҚКО-да құжаттарды қалпына келтіру")
    assert text[documents:].startswith("ХҚКО-да құжаттарды қалпына келтіру")
    assert "2. Құжаттарды қалпына келтіру" in text[documents:]
    shelter = text.index("Дағдарыс орталығына жолдау")
    assert "1. Клиент пен балалардың қауіпсіздігін қамтамасыз ету" in text[shelter:documents]


def test_the_pdf_has_lines_for_the_client_and_the_case_manager_to_sign(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    text = pdf_text(stored_pdf(version))
    signatures = text[text.index("Қолдар") :]
    assert "Клиент" in signatures
    assert "Кейс-менеджер" in signatures
    assert signatures.count("аты-жөні") == 2
    assert signatures.count("қолы") == 2
    assert signatures.count("күні") == 2


def test_the_pages_are_numbered_and_name_the_student(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    text = pdf_text(stored_pdf(version))
    assert "CM-7B11401 · СОӨЖ 2-3 · Әбілқасымова Әсел" in text
    assert "беттің 1-беті" in text


def test_a_second_version_says_so(cast, case_task, given_case, entry):
    handed_in(case_task, cast.student, plan_values(entry.pk))
    version = handed_in(case_task, cast.student, plan_values(entry.pk, closing="Клиенттің тұрақты табысы бар."))
    assert version.number == 2
    text = pdf_text(stored_pdf(version))
    assert "2-нұсқа, тапсырылған уақыты" in text
    assert "Клиенттің тұрақты табысы бар." in text


def test_the_russian_document_has_russian_headings_and_dates(cast, case_task, given_case, entry):
    plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk), now=WORKING)
    with translation.override("ru"):
        version = plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    text = pdf_text(stored_pdf(version))
    assert "Индивидуальный план работы" in text
    assert "Цели" in text
    assert "Подписи" in text
    assert "31.10.2025" in text
    assert "Клиент пен балалардың қауіпсіздігін қамтамасыз ету" in text


def test_the_student_text_is_escaped(cast, case_task, given_case, entry):
    values = plan_values(entry.pk, **{"goals-0-text": "<b>Қауіпсіздік</b> & баспана"})
    version = handed_in(case_task, cast.student, values)
    html = plan_html(content=version.content, task=case_task, student=cast.student, version=version)
    assert "&lt;b&gt;Қауіпсіздік&lt;/b&gt; &amp; баспана" in html
    assert "<b>Қауіпсіздік</b>" not in html
    assert "<b>Қауіпсіздік</b> & баспана" in pdf_text(stored_pdf(version))


def test_a_plan_of_ten_goals_and_thirty_interventions_prints_every_intervention(cast, case_task, given_case, entry):
    version = handed_in(case_task, cast.student, large_plan_values(entry.pk))
    content = stored_pdf(version)
    text = pdf_text(content)
    for number in range(1, 31):
        assert f"Іс-шара-{number:02d} жоспар бойынша жүргізіледі" in text, number
    for number in range(1, 11):
        assert f"Мақсат №{number}: клиенттің жағдайын жақсарту" in text
    assert pdf_pages(content) >= 3
    # The interventions' header row is repeated on the pages the table runs over.
    assert text.count("Кім жауапты") >= 2


def test_the_document_renders_the_snapshot_alone(cast, case_task, given_case, entry):
    """The PDF is made from the version's content: a working copy changed since is not in it."""
    version = handed_in(case_task, cast.student, plan_values(entry.pk))
    plan_save(
        task=case_task, student=cast.student, values=plan_values(entry.pk, closing="Өзгертілген мәтін"), now=WORKING
    )
    text = pdf_text(plan_pdf(content=version.content, task=case_task, student=cast.student, version=version))
    assert "Клиент қауіпсіз жерде тұрады" in text
    assert "Өзгертілген мәтін" not in text
