"""The student's plan page: who may reach it, the editor it shows, saving (as the page's script does and without
it), the directory search for referrals, and handing in.

The views use the real clock; the cast's course ran in 2025 and СОӨЖ 2-3 has no cut-off, so a hand-in made now
is accepted (and late). The tests that need the task closed give it a cut-off in the past.
"""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from caseplans import services
from caseplans.plan import MAX_TEXT, SECTION_LABELS, SECTION_ORDER
from directory.models import Entry
from directory.services import entry_hide
from portfolio.models import Version, WorkingCopy
from tests.caseplans.conftest import VIGNETTE_TEXT, plan_values
from tests.directory.conftest import hand_in_rows, row

pytestmark = pytest.mark.django_db

FETCH = {"X-Requested-With": "fetch"}
# A sentence of the vignette: what must never reach anyone but the student it was given to.
SECRET = VIGNETTE_TEXT.split(";")[0]


def url(name, task):
    return reverse(f"caseplans:{name}", args=[task.course_id, task.pk])


def saved(case_task, cast):
    return WorkingCopy.objects.filter(task=case_task, student=cast.student).first()


# Who may reach the page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["plan_edit", "organisations"])
def test_anonymous_visitors_are_sent_to_sign_in(client, case_task, name):
    response = client.get(url(name, case_task))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", ["plan_save", "plan_submit"])
def test_anonymous_posts_are_sent_to_sign_in_and_save_nothing(client, case_task, name):
    response = client.post(url(name, case_task), plan_values())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not WorkingCopy.objects.exists()


def test_a_classmate_without_a_case_never_sees_the_case_given_to_the_student(login, cast, case_task, given_case):
    client = login(cast.classmate)
    page = client.get(url("plan_edit", case_task)).content.decode()
    assert 'class="alert alert-info no-case"' in page
    assert SECRET not in page
    assert given_case.vignette.title not in page
    assert 'id="plan-form"' not in page
    task_page = client.get(reverse("grading:task_detail", args=[cast.course.pk, case_task.pk])).content.decode()
    assert given_case.vignette.title not in task_page
    assert SECRET not in task_page


def test_a_classmate_cannot_save_a_plan_without_a_case(login, cast, case_task, given_case):
    response = login(cast.classmate).post(url("plan_save", case_task), plan_values(), headers=FETCH)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert SECRET not in response.content.decode()
    assert not WorkingCopy.objects.exists()


def test_a_classmate_never_sees_the_students_plan(login, cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Жоспардың өз сөзі"))
    page = login(cast.classmate).get(url("plan_edit", case_task)).content.decode()
    assert "Жоспардың өз сөзі" not in page


@pytest.mark.parametrize("name", ["plan_edit", "organisations"])
def test_a_student_of_another_course_gets_404(login, cast, case_task, given_case, name):
    response = login(cast.other_student).get(url(name, case_task))
    assert response.status_code == 404
    assert SECRET not in response.content.decode()


@pytest.mark.parametrize("name", ["plan_save", "plan_submit"])
def test_a_student_of_another_course_cannot_post(login, cast, case_task, given_case, name):
    response = login(cast.other_student).post(url(name, case_task), plan_values(), headers=FETCH)
    assert response.status_code == 404
    assert not WorkingCopy.objects.exists()


@pytest.mark.parametrize("who", ["instructor", "other_instructor", "dept_admin"])
@pytest.mark.parametrize("name", ["plan_edit", "plan_save", "plan_submit", "organisations"])
def test_staff_are_refused_the_students_pages(login, cast, case_task, given_case, who, name):
    client = login(getattr(cast, who))
    response = (
        client.post(url(name, case_task), plan_values()) if "plan_s" in name else client.get(url(name, case_task))
    )
    assert response.status_code == 403
    assert SECRET not in response.content.decode()


def test_the_plan_page_is_only_for_a_case_plan_task(login, cast):
    essay = cast.tasks["СӨЖ 1"]
    assert login(cast.student).get(url("plan_edit", essay)).status_code == 404


def test_a_hidden_case_plan_task_has_no_plan_page(login, cast, case_task, given_case):
    case_task.is_hidden = True
    case_task.save()
    assert login(cast.student).get(url("plan_edit", case_task)).status_code == 404


def test_the_save_takes_only_posts(login, cast, case_task, given_case):
    assert login(cast.student).get(url("plan_save", case_task)).status_code == 405


# The page ---------------------------------------------------------------------------------------------------------


def test_the_page_shows_the_students_case_and_every_section(login, cast, case_task, given_case):
    page = login(cast.student).get(url("plan_edit", case_task)).content.decode()
    assert given_case.vignette.title in page
    assert f"<p>{VIGNETTE_TEXT}</p>" in page
    assert str(given_case.vignette.get_client_category_display()) in page
    for name in SECTION_ORDER:
        assert f'id="section-{name}"' in page
        assert str(SECTION_LABELS[name]) in page
    for name in ("profile", "history", "needs", "strengths", "monitoring", "closing"):
        assert f'<textarea class="form-control" name="{name}"' in page


def test_each_row_section_offers_a_spare_row_without_the_script(login, cast, case_task, given_case):
    page = login(cast.student).get(url("plan_edit", case_task)).content.decode()
    for name in ("problems-0-text", "goals-0-key", "goals-0-text", "goals-0-indicator", "goals-0-target"):
        assert f'name="{name}"' in page
    for field in ("action", "responsible", "agency", "due", "goal"):
        assert f'name="interventions-0-{field}"' in page
    for name in ("referrals-0-entry", "referrals-0-organisation", "referrals-0-purpose", "reviews-0-date"):
        assert f'name="{name}"' in page
    assert 'name="goals-1-text"' not in page
    assert f'action="{url("plan_save", case_task)}"' in page


def test_the_page_shows_the_saved_plan_with_a_spare_row_after_it(login, cast, case_task, given_case, entry):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk))
    page = login(cast.student).get(url("plan_edit", case_task)).content.decode()
    assert "Клиент пен балалардың қауіпсіздігін қамтамасыз ету</textarea>" in page
    assert 'name="goals-2-text"' in page  # two goals, then the spare one
    assert 'name="interventions-3-action"' in page
    assert '<option value="gsafe" selected>' in page
    assert f'name="referrals-0-entry" value="{entry.pk}"' in page
    assert entry.name in page


def test_the_checklist_lists_what_keeps_the_plan_from_being_handed_in(login, cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(**{"goals-1-indicator": ""}))
    page = login(cast.student).get(url("plan_edit", case_task)).content.decode()
    checklist = page.split('id="checklist"')[1].split("</section>")[0]
    assert checklist.count("<li>") == 1
    assert "2" in checklist.split("<li>")[1]


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_plan(
    login, cast, case_task, given_case, entry, django_assert_max_num_queries
):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk))
    with django_assert_max_num_queries(16) as small:
        client.get(url("plan_edit", case_task))
    many = plan_values(entry.pk)
    for index in range(2, 30):
        many |= {f"referrals-{index}-entry": str(entry.pk), f"referrals-{index}-purpose": f"Мақсат {index}"}
        many |= {f"goals-{index}-text": f"Мақсат {index}", f"goals-{index}-target": "2025-11-01"}
    services.plan_save(task=case_task, student=cast.student, values=many)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("plan_edit", case_task))


# Saving -----------------------------------------------------------------------------------------------------------


def test_the_scripts_save_stores_the_plan_and_answers_with_the_revision_and_the_checklist(
    login, cast, case_task, given_case
):
    client = login(cast.student)
    response = client.post(url("plan_save", case_task), {"profile": "Әйел, 34 жаста"}, headers=FETCH)
    assert response.status_code == 200
    answer = response.json()
    assert answer["revision"] == 1
    assert answer["saved_at"] == timezone.localtime(saved(case_task, cast).saved_at).strftime("%H:%M")
    assert len(answer["problems"]) == len(SECTION_ORDER) - 1  # everything but the profile is still empty
    assert saved(case_task, cast).data["profile"] == "Әйел, 34 жаста"

    answer = client.post(url("plan_save", case_task), plan_values(), headers=FETCH).json()
    assert answer["revision"] == 2
    assert answer["problems"] == []
    assert [goal["key"] for goal in saved(case_task, cast).data["goals"]] == ["gsafe", "gdocs"]


def test_a_beacon_sent_on_leaving_the_page_is_answered_as_the_script_is(login, cast, case_task, given_case):
    # navigator.sendBeacon cannot set a header: the script adds a field instead.
    response = login(cast.student).post(url("plan_save", case_task), {"closing": "Шешілді", "autosave": "1"})
    assert response.status_code == 200
    assert response.json()["revision"] == 1
    assert saved(case_task, cast).data["closing"] == "Шешілді"


def test_the_save_without_the_script_redirects_back_with_a_message(login, cast, case_task, given_case):
    values = {**plan_values(), "revision": "0"}  # as the form's hidden field says
    response = login(cast.student).post(url("plan_save", case_task), values, follow=True)
    assert response.redirect_chain == [(url("plan_edit", case_task), 302)]
    assert len(list(response.context["messages"])) == 1
    assert saved(case_task, cast).data["closing"] == plan_values()["closing"]
    assert saved(case_task, cast).revision == 1


def test_rows_are_kept_in_the_order_of_their_numbers(login, cast, case_task, given_case):
    values = plan_values(**{"goals-0-text": "Екінші болды", "goals-0-key": "gsecond"})
    values = {name.replace("goals-0-", "goals-7-"): value for name, value in values.items()}
    login(cast.student).post(url("plan_save", case_task), values, headers=FETCH)
    assert [goal["key"] for goal in saved(case_task, cast).data["goals"]] == ["gdocs", "gsecond"]


def test_refused_input_answers_400_with_the_message_and_saves_nothing(login, cast, case_task, given_case):
    client = login(cast.student)
    client.post(url("plan_save", case_task), plan_values(), headers=FETCH)
    response = client.post(url("plan_save", case_task), plan_values(history="ә" * (MAX_TEXT + 1)), headers=FETCH)
    assert response.status_code == 400
    [message] = response.json()["errors"]
    assert str(MAX_TEXT) in message
    assert str(SECTION_LABELS["history"]) in message
    plan = saved(case_task, cast)
    assert plan.revision == 1
    assert plan.data["history"] == plan_values()["history"]


def test_refused_input_without_the_script_shows_the_page_again_with_what_was_typed(login, cast, case_task, given_case):
    typed = "Жаңа мәтін " + "ә" * MAX_TEXT
    response = login(cast.student).post(url("plan_save", case_task), plan_values(history=typed))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="alert alert-danger plan-errors"' in page
    assert typed in page
    assert not WorkingCopy.objects.exists()


# Saving over the revision the page started from ----------------------------------------------------------------------


def test_the_page_carries_the_revision_it_shows_for_every_save_to_send(login, cast, case_task, given_case):
    client = login(cast.student)
    assert '<input type="hidden" name="revision" value="0">' in client.get(url("plan_edit", case_task)).content.decode()
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Екінші рет"))
    page = client.get(url("plan_edit", case_task)).content.decode()
    assert '<input type="hidden" name="revision" value="2">' in page
    assert 'data-revision="2"' in page
    assert "data-unsaved" not in page  # the page shows what the server holds


def test_a_save_over_the_revision_the_server_holds_answers_the_next_one(login, cast, case_task, given_case):
    client = login(cast.student)
    first = client.post(url("plan_save", case_task), {**plan_values(), "revision": "0"}, headers=FETCH)
    assert first.json()["revision"] == 1
    response = client.post(url("plan_save", case_task), {**plan_values(closing="Жаңа"), "revision": "1"}, headers=FETCH)
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    assert saved(case_task, cast).data["closing"] == "Жаңа"


def test_a_save_over_a_revision_saved_since_elsewhere_is_refused_and_changes_nothing(
    login, cast, case_task, given_case
):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Бірінші бет"))
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Басқа құрылғы"))
    before = saved(case_task, cast)
    response = client.post(
        url("plan_save", case_task), {**plan_values(closing="Ескі бет"), "revision": "1"}, headers=FETCH
    )
    assert response.status_code == 409
    answer = response.json()
    assert answer["stale"] is True
    assert len(answer["errors"]) == 1
    plan = saved(case_task, cast)
    assert (plan.revision, plan.data, plan.saved_at) == (2, before.data, before.saved_at)


def test_a_second_page_opened_before_the_first_save_cannot_overwrite_it(login, cast, case_task, given_case):
    client = login(cast.student)
    client.post(url("plan_save", case_task), {**plan_values(closing="Бірінші бет"), "revision": "0"}, headers=FETCH)
    response = client.post(
        url("plan_save", case_task), {**plan_values(closing="Екінші бет"), "revision": "0"}, headers=FETCH
    )
    assert response.status_code == 409
    assert (saved(case_task, cast).revision, saved(case_task, cast).data["closing"]) == (1, "Бірінші бет")


def test_a_save_from_a_revision_ahead_of_the_server_creates_nothing(login, cast, case_task, given_case):
    response = login(cast.student).post(url("plan_save", case_task), {**plan_values(), "revision": "5"}, headers=FETCH)
    assert response.status_code == 409
    assert not WorkingCopy.objects.exists()


def test_a_refusal_other_than_a_stale_revision_says_it_is_not_stale(login, cast, case_task, given_case, entry):
    entry_hide(entry=entry, hidden_by=cast.dept_admin)
    response = login(cast.student).post(
        url("plan_save", case_task), {**plan_values(entry.pk), "revision": "0"}, headers=FETCH
    )
    assert response.status_code == 400
    assert response.json()["stale"] is False


@pytest.mark.parametrize("revision", [None, "", "x", "²", "1" * 25])
def test_a_save_naming_no_usable_revision_still_saves(login, cast, case_task, given_case, revision):
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    values = plan_values(closing="Нұсқасыз") | ({} if revision is None else {"revision": revision})
    response = login(cast.student).post(url("plan_save", case_task), values, headers=FETCH)
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    assert saved(case_task, cast).data["closing"] == "Нұсқасыз"


def test_a_stale_save_without_the_script_shows_the_page_again_with_what_was_typed(login, cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Басқа құрылғы"))
    typed = "Осы бетте жазылған өлшемдер"
    response = login(cast.student).post(url("plan_save", case_task), {**plan_values(closing=typed), "revision": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="alert alert-danger plan-errors"' in page
    assert f"{typed}</textarea>" in page
    assert "data-unsaved" in page  # the script keeps it in the browser, as what the server does not hold
    assert saved(case_task, cast).data["closing"] == "Басқа құрылғы"


# Input no person types ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry_id", ["²", "١٢", "1" * 25, "-1", "1.5"])
def test_an_organisation_id_that_is_no_id_is_read_as_none_picked(login, cast, case_task, given_case, entry_id):
    values = plan_values(**{"referrals-0-entry": entry_id, "referrals-0-organisation": "Аудандық қызмет"})
    response = login(cast.student).post(url("plan_save", case_task), values, headers=FETCH)
    assert response.status_code == 200
    referral = saved(case_task, cast).data["referrals"][0]
    assert (referral["entry"], referral["organisation"]) == (None, "Аудандық қызмет")


def test_a_nul_character_is_dropped_from_what_is_saved(login, cast, case_task, given_case):
    values = plan_values(needs="Қауіпсіз\x00 баспана", **{"goals-0-indicator": "Орналасты\x00"})
    client = login(cast.student)
    assert client.post(url("plan_save", case_task), values, headers=FETCH).status_code == 200
    plan = saved(case_task, cast)
    assert plan.data["needs"] == "Қауіпсіз баспана"
    assert plan.data["goals"][0]["indicator"] == "Орналасты"
    assert client.post(url("plan_save", case_task), values).status_code == 302  # without the script too


def test_a_referral_to_an_organisation_hidden_since_is_refused(login, cast, case_task, given_case, entry):
    entry_hide(entry=entry, hidden_by=cast.dept_admin)
    response = login(cast.student).post(url("plan_save", case_task), plan_values(entry.pk), headers=FETCH)
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 1
    assert not WorkingCopy.objects.exists()


def test_after_the_cut_off_the_plan_is_read_only(login, cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    case_task.cutoff_at = timezone.now() - dt.timedelta(days=1)
    case_task.save()
    client = login(cast.student)
    page = client.get(url("plan_edit", case_task)).content.decode()
    assert 'class="alert alert-secondary plan-closed"' in page
    assert 'id="plan-form"' not in page
    assert "<textarea" not in page
    response = client.post(url("plan_save", case_task), plan_values(closing="Кеш"), headers=FETCH)
    assert response.status_code == 400
    assert saved(case_task, cast).data["closing"] == plan_values()["closing"]


# Organisations for a referral ---------------------------------------------------------------------------------------


def test_the_search_finds_only_the_departments_shown_organisations(login, cast, case_task, entry):
    hand_in_rows(cast.tasks["СӨЖ 1"], cast.student, [row("«Жасырын» орталығы")])
    entry_hide(entry=Entry.objects.get(name="«Жасырын» орталығы"), hidden_by=cast.dept_admin)
    hand_in_rows(cast.other_task, cast.other_student, [row("«Ақ жол» орталығы")])
    client = login(cast.student)

    results = client.get(url("organisations", case_task), {"q": "орталығы"}).json()["results"]
    assert results == []
    [found] = client.get(url("organisations", case_task), {"q": "жүрек"}).json()["results"]
    assert found == {
        "id": entry.pk,
        "name": "«Ақ жүрек» қоры",
        "city": "Алматы",
        "type": str(entry.type_label),
        "phones": entry.phone_list,
    }


def test_an_empty_search_finds_nothing(login, cast, case_task, entry):
    response = login(cast.student).get(url("organisations", case_task), {"q": "  "})
    assert response.json() == {"results": []}


def test_the_search_lists_ten_organisations_at_most(login, cast, case_task):
    hand_in_rows(cast.tasks["СӨЖ 1"], cast.classmate, [row(f"Орталық {number}") for number in range(12)])
    results = login(cast.student).get(url("organisations", case_task), {"q": "орталық"}).json()["results"]
    assert len(results) == 10


# Handing in -------------------------------------------------------------------------------------------------------


def statement(**values):
    return {"own_work": "on", "deidentified": "on", **values}


def test_a_plan_that_fails_the_checks_is_not_handed_in_and_the_page_lists_why(login, cast, case_task, given_case):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values(**{"interventions-1-goal": ""}))
    response = client.post(url("plan_submit", case_task), statement(), follow=True)
    assert response.redirect_chain == [(url("plan_edit", case_task) + "#hand-in", 302)]
    assert not Version.objects.exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]
    checklist = response.content.decode().split('id="checklist"')[1].split("</section>")[0]
    assert checklist.count("<li>") == 1
    assert "2" in checklist.split("<li>")[1]


def test_the_statement_must_be_ticked(login, cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    response = login(cast.student).post(url("plan_submit", case_task), {"own_work": "on"}, follow=True)
    assert response.redirect_chain == [(url("plan_edit", case_task) + "#hand-in", 302)]
    assert len(list(response.context["messages"])) == 1
    assert not Version.objects.exists()


def test_a_complete_plan_is_handed_in_as_version_1_with_its_pdf(login, cast, case_task, given_case, entry):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk))
    response = client.post(url("plan_submit", case_task), statement(), follow=True)
    task_page = reverse("grading:task_detail", args=[cast.course.pk, case_task.pk])
    assert response.redirect_chain == [(task_page, 302)]
    version = Version.objects.get(submission__student=cast.student, submission__task=case_task)
    assert version.number == 1
    assert version.content["kind"] == "case_plan"
    assert version.content["case"]["title"] == given_case.vignette.title
    assert version.content["plan"]["referrals"][0]["directory"]["name"] == entry.name
    document = version.files.get()
    with document.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    [message] = list(response.context["messages"])
    assert reverse("portfolio:file_download", args=[document.pk]) in str(message)
    assert "1" in str(message)
    assert client.get(reverse("portfolio:file_download", args=[document.pk])).status_code == 200


def test_handing_in_from_the_editor_saves_what_the_page_holds_first(login, cast, case_task, given_case):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing=""))
    client.post(url("plan_submit", case_task), {**plan_values(), **statement(), "plan_form": "1"})
    version = Version.objects.get()
    assert version.content["plan"]["closing"] == plan_values()["closing"]
    assert saved(case_task, cast).data["closing"] == plan_values()["closing"]


def test_a_hand_in_from_a_page_behind_another_save_hands_nothing_in_and_overwrites_nothing(
    login, cast, case_task, given_case
):
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Басқа құрылғы"))
    shown = {**plan_values(closing="Осы беттегі өлшемдер"), "revision": "1", "plan_form": "1"}
    response = login(cast.student).post(url("plan_submit", case_task), {**shown, **statement()})
    assert response.status_code == 400 and "басқа қойындыдан немесе құрылғыдан" in response.content.decode()
    assert not Version.objects.exists()
    assert (saved(case_task, cast).revision, saved(case_task, cast).data["closing"]) == (2, "Басқа құрылғы")


def test_a_hand_in_behind_only_its_own_pages_save_goes_through(login, cast, case_task, given_case):
    # The page's last autosave landed just before the hand-in that carries the same plan: no conflict.
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    services.plan_save(task=case_task, student=cast.student, values=plan_values(closing="Осы беттегі өлшемдер"))
    shown = {**plan_values(closing="Осы беттегі өлшемдер"), "revision": "1", "plan_form": "1"}
    login(cast.student).post(url("plan_submit", case_task), {**shown, **statement()})
    assert Version.objects.get().content["plan"]["closing"] == "Осы беттегі өлшемдер"


def test_a_hand_in_without_the_editors_fields_never_empties_the_plan(login, cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    login(cast.student).post(url("plan_submit", case_task), statement())
    assert saved(case_task, cast).data["closing"] == plan_values()["closing"]


def test_an_edit_after_hand_in_leaves_version_1_as_it_was(login, cast, case_task, given_case):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    client.post(url("plan_submit", case_task), statement())
    version = Version.objects.get()
    content, digest = version.content, version.files.get().sha256

    client.post(url("plan_save", case_task), plan_values(closing="Өзгертілген өлшемдер"), headers=FETCH)
    version.refresh_from_db()
    assert version.content == content
    assert version.content["plan"]["closing"] == plan_values()["closing"]
    assert version.files.get().sha256 == digest

    page = client.get(url("plan_edit", case_task)).content.decode()
    assert 'data-latest-version="1"' in page
    assert reverse("portfolio:file_download", args=[version.files.get().pk]) in page
    assert "Өзгертілген өлшемдер" in page


def test_handing_in_again_after_an_edit_makes_version_2(login, cast, case_task, given_case):
    client = login(cast.student)
    services.plan_save(task=case_task, student=cast.student, values=plan_values())
    client.post(url("plan_submit", case_task), statement())
    client.post(
        url("plan_submit", case_task), {**plan_values(closing="Жаңа өлшемдер"), **statement(), "plan_form": "1"}
    )
    assert list(Version.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert Version.objects.get(number=1).content["plan"]["closing"] == plan_values()["closing"]


# The task page ----------------------------------------------------------------------------------------------------


def test_the_task_page_shows_the_student_their_case_and_the_way_to_the_plan(login, cast, case_task, given_case):
    page = login(cast.student).get(reverse("grading:task_detail", args=[cast.course.pk, case_task.pk]))
    html = page.content.decode()
    assert given_case.vignette.title in html
    assert f'href="{url("plan_edit", case_task)}"' in html
    assert 'id="id_files"' not in html  # no file hand-in for a plan built in the portal


def test_the_task_page_tells_a_student_without_a_case_so(login, cast, case_task, given_case):
    html = login(cast.classmate).get(reverse("grading:task_detail", args=[cast.course.pk, case_task.pk]))
    assert 'class="mb-0 no-case"' in html.content.decode()


def test_the_task_page_leads_the_instructor_to_the_cases(login, cast, case_task):
    html = login(cast.instructor).get(reverse("grading:task_detail", args=[cast.course.pk, case_task.pk]))
    html = html.content.decode()
    assert f'href="{url("assignments", case_task)}"' in html
    assert f'href="{reverse("caseplans:vignettes", args=[cast.course.pk])}"' in html


def test_the_save_answer_is_json_the_script_can_read(login, cast, case_task, given_case):
    response = login(cast.student).post(url("plan_save", case_task), plan_values(), headers=FETCH)
    assert response["Content-Type"] == "application/json"
    assert set(json.loads(response.content)) == {"revision", "saved_at", "problems"}
