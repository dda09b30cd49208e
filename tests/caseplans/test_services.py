"""The workflows of case plans: handing cases out, saving a plan as it is typed, and handing it in."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from caseplans import services
from caseplans.models import CaseAssignment, Vignette
from coursework.models import Enrollment
from portfolio import services as portfolio_services
from portfolio.models import Submission, Version, WorkingCopy
from tests.caseplans.conftest import WORKING, hand_in_plan, plan_values
from tests.conftest import make_user
from tests.portfolio.conftest import docx


def add_vignettes(course, count):
    return [
        Vignette.objects.create(course=course, title=f"Кейс {n}", client_category="elderly", text="Жағдай")
        for n in range(count)
    ]


def enrol(cast, count):
    people = [make_user(f"s{n}", "student", cast.department, last_name=f"Студент {n:02}") for n in range(count)]
    Enrollment.objects.bulk_create(
        Enrollment(course=cast.course, student=person, academic_group="СЖ-23-03") for person in people
    )
    return people


# Handing out -------------------------------------------------------------------------------------------------------


def test_cases_are_handed_out_to_everyone_without_one_and_balanced(cast, case_task):
    vignettes = add_vignettes(cast.course, 3)
    enrol(cast, 8)  # 10 students with the cast's two
    assert services.cases_hand_out(task=case_task, by=cast.instructor) == 10
    counts = Counter(case_task.case_assignments.values_list("vignette_id", flat=True))
    assert sorted(counts.values()) == [3, 3, 4]
    assert set(counts) == {vignette.pk for vignette in vignettes}
    assert case_task.case_assignments.filter(is_automatic=True, assigned_by=cast.instructor).count() == 10


def test_handing_out_again_gives_only_the_students_without_a_case_and_keeps_the_balance(cast, case_task):
    first, second = add_vignettes(cast.course, 2)
    services.case_assign(task=case_task, student=cast.student, vignette=first, by=cast.instructor)
    services.case_assign(task=case_task, student=cast.classmate, vignette=first, by=cast.instructor)
    enrol(cast, 2)
    assert services.cases_hand_out(task=case_task, by=cast.instructor) == 2
    counts = Counter(case_task.case_assignments.values_list("vignette_id", flat=True))
    assert counts == {first.pk: 2, second.pk: 2}
    assert services.cases_hand_out(task=case_task, by=cast.instructor) == 0


def test_cases_cannot_be_handed_out_without_a_vignette_or_for_another_kind_of_task(cast, case_task):
    with pytest.raises(ValidationError, match="кейс жазыңыз"):
        services.cases_hand_out(task=case_task, by=cast.instructor)
    add_vignettes(cast.course, 1)
    with pytest.raises(ValidationError):
        services.cases_hand_out(task=cast.tasks["СОӨЖ 1"], by=cast.instructor)
    assert not CaseAssignment.objects.exists()


def test_a_case_can_be_changed_until_the_student_starts_the_plan(cast, case_task, given_case):
    (other,) = add_vignettes(cast.course, 1)
    services.case_assign(task=case_task, student=cast.student, vignette=other, by=cast.instructor)
    assert CaseAssignment.objects.get(pk=given_case.pk).vignette == other
    services.plan_save(task=case_task, student=cast.student, values={"profile": "Әйел"}, now=WORKING)
    with pytest.raises(ValidationError, match="жоспарды бастап қойған"):
        services.case_assign(task=case_task, student=cast.student, vignette=given_case.vignette, by=cast.instructor)
    assert CaseAssignment.objects.get(pk=given_case.pk).vignette == other


def test_a_case_is_given_only_from_the_course_and_only_to_its_students(cast, case_task, vignette):
    foreign = Vignette.objects.create(course=cast.other_course, title="Басқа", client_category="elderly", text="…")
    with pytest.raises(ValidationError, match="басқа курсқа"):
        services.case_assign(task=case_task, student=cast.student, vignette=foreign, by=cast.instructor)
    with pytest.raises(ValidationError):
        services.case_assign(task=case_task, student=cast.other_student, vignette=vignette, by=cast.instructor)
    assert not CaseAssignment.objects.exists()


def test_a_vignette_given_to_a_student_cannot_be_deleted(cast, given_case):
    with pytest.raises(ValidationError, match="жоюға болмайды"):
        services.vignette_delete(vignette=given_case.vignette)
    assert Vignette.objects.filter(pk=given_case.vignette_id).exists()
    spare = add_vignettes(cast.course, 1)[0]
    services.vignette_delete(vignette=spare)
    assert not Vignette.objects.filter(pk=spare.pk).exists()


# Saving the working copy -------------------------------------------------------------------------------------------


def test_a_save_keeps_the_plan_and_counts_a_revision(cast, case_task, given_case):
    plan = services.plan_save(task=case_task, student=cast.student, values={"profile": "Бірінші"}, now=WORKING)
    assert (plan.revision, plan.data["profile"]) == (1, "Бірінші")
    plan = services.plan_save(task=case_task, student=cast.student, values={"profile": "Екінші"}, now=WORKING)
    assert (plan.revision, plan.data["profile"]) == (2, "Екінші")
    assert WorkingCopy.objects.count() == 1


def test_a_save_from_a_page_that_started_from_an_older_revision_is_refused(cast, case_task, given_case):
    def save(text, revision):
        return services.plan_save(
            task=case_task, student=cast.student, values={"profile": text}, revision=revision, now=WORKING
        )

    assert save("Бірінші бет", 0).revision == 1
    assert save("Бірінші бет, жалғасы", 1).revision == 2
    with pytest.raises(ValidationError) as refused:
        save("Екінші бет, ескі", 1)  # another tab, opened at revision 1
    assert refused.value.code == "stale"
    plan = WorkingCopy.objects.get()
    assert (plan.revision, plan.data["profile"]) == (2, "Бірінші бет, жалғасы")
    with pytest.raises(ValidationError):
        services.plan_save(task=case_task, student=cast.classmate, values={}, revision=3, now=WORKING)


def test_a_first_save_from_a_page_that_believed_in_an_older_copy_is_refused(cast, case_task, given_case):
    with pytest.raises(ValidationError) as refused:
        services.plan_save(task=case_task, student=cast.student, values={"profile": "…"}, revision=4, now=WORKING)
    assert refused.value.code == "stale"
    assert not WorkingCopy.objects.exists()


def test_without_a_case_nothing_is_saved(cast, case_task):
    with pytest.raises(ValidationError, match="кейс берілмеген"):
        services.plan_save(task=case_task, student=cast.student, values={"profile": "…"}, now=WORKING)
    assert not WorkingCopy.objects.exists()


def test_a_save_that_cannot_be_kept_whole_changes_nothing(cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values={"profile": "Бірінші"}, now=WORKING)
    with pytest.raises(ValidationError, match="таңбадан ұзын"):
        services.plan_save(
            task=case_task, student=cast.student, values={"profile": "Жаңа", "history": "ә" * 7000}, now=WORKING
        )
    plan = WorkingCopy.objects.get()
    assert (plan.revision, plan.data["profile"]) == (1, "Бірінші")


def test_a_referral_must_name_a_shown_entry_of_the_departments_directory(cast, case_task, given_case, entry):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk), now=WORKING)
    entry.is_hidden = True
    entry.save()
    with pytest.raises(ValidationError, match="анықтамалықта енді жоқ"):
        services.plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk), now=WORKING)
    with pytest.raises(ValidationError, match="анықтамалықта енді жоқ"):
        services.plan_save(task=case_task, student=cast.student, values=plan_values(987654), now=WORKING)


def test_after_the_cut_off_the_plan_is_no_longer_saved(cast, case_task, given_case):
    case_task.cutoff_at = WORKING
    case_task.save()
    later = WORKING + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="қабылдау аяқталды"):
        services.plan_save(task=case_task, student=cast.student, values={"profile": "…"}, now=later)
    assert not WorkingCopy.objects.exists()


# Handing in --------------------------------------------------------------------------------------------------------


def test_handing_in_freezes_the_plan_the_case_and_the_referrals_contacts(cast, case_task, given_case, entry):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(entry.pk), now=WORKING)
    version = services.plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert (version.number, version.state, version.is_latest, version.is_late) == (1, "submitted", True, False)
    content = version.content
    assert content["kind"] == "case_plan"
    assert content["case"]["title"] == given_case.vignette.title
    assert [goal["key"] for goal in content["plan"]["goals"]] == ["gsafe", "gdocs"]
    referral = content["plan"]["referrals"][0]
    assert referral["entry"] == entry.pk
    assert referral["directory"]["name"] == entry.name and referral["directory"]["phones"] == entry.phones
    assert content["plan"]["referrals"][1]["directory"] is None
    (pdf,) = version.files.all()
    assert pdf.extension == "pdf" and pdf.file.read(5) == b"%PDF-"
    assert pdf.original_name == "Жеке жұмыс жоспары — СОӨЖ 2-3 — 1-нұсқа.pdf"


def test_an_edit_after_hand_in_does_not_change_the_handed_in_version(cast, case_task, given_case, entry):
    version = hand_in_plan(case_task, cast.student, entry_id=entry.pk)
    frozen = Version.objects.get(pk=version.pk).content
    given_case.vignette.text = "Өзгертілген мәтін"
    given_case.vignette.save()
    entry.phones = "+7 727 999 99 99"
    entry.save()
    services.plan_save(
        task=case_task, student=cast.student, values=plan_values(entry.pk, **{"goals-0-text": "Жаңа"}), now=WORKING
    )
    assert Version.objects.get(pk=version.pk).content == frozen
    assert frozen["plan"]["goals"][0]["text"] != "Жаңа"
    later = services.plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert later.number == 2 and later.content["plan"]["goals"][0]["text"] == "Жаңа"
    assert not Version.objects.get(pk=version.pk).is_latest


def test_a_plan_that_fails_a_check_is_not_handed_in_and_every_failure_is_named(cast, case_task, given_case):
    values = plan_values(**{"goals-0-indicator": "", "interventions-0-goal": "", "profile": "ЖСН 850315400123"})
    services.plan_save(task=case_task, student=cast.student, values=values, now=WORKING)
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert len(refused.value.messages) == 3
    assert not Submission.objects.exists()


def test_when_the_pdf_cannot_be_made_nothing_is_handed_in(cast, case_task, given_case, monkeypatch):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(), now=WORKING)

    def broken_pdf(**kwargs):
        raise OSError("WeasyPrint failed")

    # The PDF step is the one outside our code (WeasyPrint): it fails after the version has been numbered and saved.
    monkeypatch.setattr(services, "plan_pdf", broken_pdf)
    with pytest.raises(OSError):
        services.plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert not Version.objects.exists()
    assert WorkingCopy.objects.get().data["goals"][0]["key"] == "gsafe"  # the working copy is untouched


def test_handing_in_the_same_plan_twice_is_refused(cast, case_task, given_case):
    hand_in_plan(case_task, cast.student)
    with pytest.raises(ValidationError, match="ештеңе өзгерген жоқ"):
        services.plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert Version.objects.count() == 1


def test_the_statement_is_required_and_a_late_plan_is_flagged(cast, case_task, given_case):
    services.plan_save(task=case_task, student=cast.student, values=plan_values(), now=WORKING)
    with pytest.raises(ValidationError):
        services.plan_submit(task=case_task, student=cast.student, statement_accepted=False, now=WORKING)
    late = timezone.make_aware(dt.datetime(2025, 10, 21, 9, 0))
    version = services.plan_submit(task=case_task, student=cast.student, statement_accepted=True, now=late)
    assert version.is_late and version.late_by > dt.timedelta(hours=33)


def test_the_file_hand_in_refuses_a_plan_built_in_the_portal(cast, case_task):
    with pytest.raises(ValidationError, match="өз бетінде"):
        portfolio_services.draft_add_files(task=case_task, student=cast.student, uploads=[docx()], now=WORKING)
    with pytest.raises(ValidationError, match="өз бетінде"):
        portfolio_services.draft_submit(
            task=case_task, student=cast.student, statement_accepted=True, uploads=[docx()], now=WORKING
        )
    assert not Submission.objects.exists()


def test_a_plan_of_another_student_is_not_touched(cast, case_task, given_case, vignette):
    CaseAssignment.objects.create(task=case_task, student=cast.classmate, vignette=vignette)
    hand_in_plan(case_task, cast.student)
    services.plan_save(task=case_task, student=cast.classmate, values={"profile": "Басқа"}, now=WORKING)
    assert WorkingCopy.objects.get(student=cast.student).data["profile"] == plan_values()["profile"]
    assert not Version.objects.filter(submission__student=cast.classmate).exists()
