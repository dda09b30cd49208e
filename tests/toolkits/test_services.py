"""Saving and handing in СӨЖ 3: the working copy, the presentation, the frozen version with its PDF; and the access
helpers of the toolkit's pages. Messages of this app are checked in English (the message ids), those of the portfolio
in Kazakh as its own tests do."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from portfolio import services as portfolio_services
from portfolio.access import staged_file_for_student
from portfolio.models import Submission, SubmissionFile, Version, WorkingCopy
from portfolio.selectors import Progress, student_progress
from tests.portfolio.conftest import pdf
from tests.toolkits.conftest import WORKING, hand_in_toolkit, pptx_upload, toolkit_values
from toolkits import services
from toolkits.access import toolkit_task_for_student
from toolkits.data import toolkit_from_form
from toolkits.documents import toolkit_file_name

NO_PRESENTATION = "Upload your presentation (pptx or pdf) before handing in."


def submit(task, student, now=WORKING):
    return services.toolkit_submit(task=task, student=student, statement_accepted=True, now=now)


def refused_messages(task, student, now=WORKING):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        submit(task, student, now)
    return refused.value.messages


# Saving -----------------------------------------------------------------------------------------------------------


def test_a_save_keeps_the_toolkit_and_refuses_a_page_that_started_from_an_older_revision(cast, toolkit_task):
    copy = services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    assert copy.revision == 1 and copy.data == toolkit_from_form(toolkit_values())[0]
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), revision=1, now=WORKING)
    with pytest.raises(ValidationError) as refused:
        services.toolkit_save(
            task=toolkit_task, student=cast.student, values={"criteria-0-name": "Ескі"}, revision=1, now=WORKING
        )
    assert refused.value.code == "stale"
    copy = WorkingCopy.objects.get()
    assert copy.revision == 2 and copy.data["criteria"][0]["name"] == "Отбасылық жағдайы"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"criteria-0-name": "ә" * 201}, "A text of “criterion 1” is longer than 200 characters."),
        ({"instruments-1-items-0-scale_from": "5", "instruments-1-items-0-scale_to": "1"},
         "The scale of item 1 of instrument 2 must run from a lower to a higher whole number, both from 0 to 10."),
    ],
)  # fmt: skip
def test_what_cannot_be_kept_whole_is_refused_and_nothing_is_saved(cast, toolkit_task, changes, expected):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.toolkit_save(
            task=toolkit_task, student=cast.student, values=toolkit_values(**changes), revision=1, now=WORKING
        )
    assert refused.value.messages == [expected]
    copy = WorkingCopy.objects.get()
    assert copy.revision == 1 and copy.data == toolkit_from_form(toolkit_values())[0]


def test_only_the_toolkit_task_is_saved_here(cast):
    with pytest.raises(ValidationError) as refused:
        services.toolkit_save(task=cast.tasks["СӨЖ 4"], student=cast.student, values=toolkit_values(), now=WORKING)
    assert refused.value.code == "not_toolkit"
    assert not WorkingCopy.objects.exists()


def test_after_the_cut_off_the_toolkit_is_neither_saved_nor_handed_in(cast, toolkit_task):
    portfolio_services.draft_add_files(task=toolkit_task, student=cast.student, uploads=[pptx_upload()], now=WORKING)
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    toolkit_task.cutoff_at = toolkit_task.due_at
    toolkit_task.save()
    later = toolkit_task.due_at + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as refused:
        services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=later)
    assert refused.value.code == "closed"
    with pytest.raises(ValidationError) as refused:
        submit(toolkit_task, cast.student, now=later)
    assert refused.value.code == "closed"
    assert WorkingCopy.objects.get().revision == 1
    assert not Version.objects.filter(state="submitted").exists()


def test_the_toolkit_is_empty_before_the_first_save_and_whole_after_it(cast, toolkit_task):
    empty = services.toolkit_for(task=toolkit_task, student=cast.student)
    assert empty == {"category": "", "category_other": "", "criteria": [], "instruments": []}
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    data = services.toolkit_for(task=toolkit_task, student=cast.student)
    assert [len(instrument["items"]) for instrument in data["instruments"]] == [5, 4]
    assert services.toolkit_for(task=toolkit_task, student=cast.classmate)["instruments"] == []


# Handing in --------------------------------------------------------------------------------------------------------


def test_handing_in_freezes_the_toolkit_with_the_presentation_and_the_pdf(cast, toolkit_task):
    version = hand_in_toolkit(toolkit_task, cast.student)
    assert (version.number, version.state, version.is_latest, version.is_late) == (1, "submitted", True, False)
    saved = WorkingCopy.objects.get().data
    assert version.content == {"kind": "assessment_toolkit", "toolkit": saved}
    toolkit = version.content["toolkit"]
    assert toolkit["category"] == "elderly"
    assert [criterion["name"] for criterion in toolkit["criteria"]][-1] == "Әлеуметтік байланыстары"
    assert toolkit["instruments"][1]["items"][0]["anchors"] == {"1": "ешқашан", "3": "кейде", "5": "әрқашан"}
    files = {item.original_name: item for item in version.files.all()}
    presentation = files.pop("қорғау.pptx")
    assert not presentation.is_generated and presentation.extension == "pptx"
    (made,) = files.values()
    assert made.is_generated and made.extension == "pdf" and made.file.read(5) == b"%PDF-"
    assert made.original_name == toolkit_file_name(task=toolkit_task, version=version)


def test_a_pdf_presentation_is_as_good_as_a_pptx(cast, toolkit_task):
    portfolio_services.draft_add_files(
        task=toolkit_task, student=cast.student, uploads=[pdf("қорғау.pdf")], now=WORKING
    )
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    version = submit(toolkit_task, cast.student)
    assert sorted(item.extension for item in version.files.all()) == ["pdf", "pdf"]


def test_without_a_presentation_nothing_is_handed_in(cast, toolkit_task):
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    assert refused_messages(toolkit_task, cast.student) == [NO_PRESENTATION]
    assert not Version.objects.filter(state="submitted").exists()


def test_a_document_handed_in_before_the_toolkit_was_built_here_is_not_its_presentation(cast, toolkit_task):
    """Before issue 14, СӨЖ 3 took any document: a version of those days (made here as it was then) leaves its docx
    behind, and the next hand-in asks for the presentation."""
    old = Version.objects.create(
        submission=Submission.objects.create(task=toolkit_task, student=cast.student),
        number=1,
        state=Version.State.SUBMITTED,
        submitted_at=WORKING,
        statement_accepted=True,
        is_latest=True,
    )
    SubmissionFile.objects.create(
        version=old, original_name="жоба.docx", extension="docx", size=10, sha256="0" * 64, file="old/жоба.docx"
    )
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    assert refused_messages(toolkit_task, cast.student) == [NO_PRESENTATION]
    portfolio_services.draft_add_files(task=toolkit_task, student=cast.student, uploads=[pptx_upload()], now=WORKING)
    draft = Version.objects.get(state=Version.State.DRAFT)
    assert [item.extension for item in draft.files.all()] == ["pptx"]  # the docx was not carried into it


def test_a_presentation_removed_from_the_next_draft_is_missing_again(cast, toolkit_task):
    first = hand_in_toolkit(toolkit_task, cast.student)
    carried = first.files.get(is_generated=False)
    portfolio_services.draft_remove_file(submission_file=carried, now=WORKING)
    services.toolkit_save(
        task=toolkit_task,
        student=cast.student,
        values=toolkit_values(**{"instruments-0-purpose": "Жаңа мақсат"}),
        now=WORKING,
    )
    assert refused_messages(toolkit_task, cast.student) == [NO_PRESENTATION]
    assert Version.objects.filter(state="submitted").get() == first


def test_a_failing_toolkit_lists_every_failure_and_hands_nothing_in(cast, toolkit_task):
    values = toolkit_values(**{"instruments-0-instructions": "", "instruments-1-items-3-anchor-1": ""})
    services.toolkit_save(task=toolkit_task, student=cast.student, values=values, now=WORKING)
    assert refused_messages(toolkit_task, cast.student) == [
        "Instrument 1 “Қарт адамның әлеуметтік тарихы: сауалнама” needs instructions for the practitioner.",
        "Item 4 of instrument 2 “Өмір сүру сапасын бағалау шкаласы” needs labels at both ends of its scale (1 and 5).",
        NO_PRESENTATION,
    ]
    assert not Version.objects.filter(state="submitted").exists()


def test_nothing_saved_yet_is_nothing_to_hand_in(cast, toolkit_task):
    portfolio_services.draft_add_files(task=toolkit_task, student=cast.student, uploads=[pptx_upload()], now=WORKING)
    messages = refused_messages(toolkit_task, cast.student)
    assert messages == [
        "Choose the client category the toolkit is for.",
        "Define at least 3 social-history criteria.",
        "Build at least two instruments.",
    ]
    assert not Version.objects.filter(state="submitted").exists()


def test_the_statement_must_be_ticked(cast, toolkit_task):
    portfolio_services.draft_add_files(task=toolkit_task, student=cast.student, uploads=[pptx_upload()], now=WORKING)
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    with pytest.raises(ValidationError):
        services.toolkit_submit(task=toolkit_task, student=cast.student, statement_accepted=False, now=WORKING)
    assert not Version.objects.filter(state="submitted").exists()


def test_a_second_version_keeps_the_presentation_and_is_refused_when_nothing_changed(cast, toolkit_task):
    first = hand_in_toolkit(toolkit_task, cast.student)
    with pytest.raises(ValidationError, match="ештеңе өзгерген жоқ"):
        submit(toolkit_task, cast.student)
    second = hand_in_toolkit(toolkit_task, cast.student)
    assert second.number == 2
    names = sorted(item.original_name for item in second.files.all() if not item.is_generated)
    assert names == ["қорғау.pptx"]  # the presentation came along from version 1
    assert Version.objects.get(pk=first.pk).content != second.content
    assert Submission.objects.get().versions.filter(is_latest=True).get() == second


def test_a_new_presentation_alone_makes_a_new_version(cast, toolkit_task):
    first = hand_in_toolkit(toolkit_task, cast.student)
    portfolio_services.draft_remove_file(submission_file=first.files.get(is_generated=False), now=WORKING)
    portfolio_services.draft_add_files(
        task=toolkit_task,
        student=cast.student,
        uploads=[pptx_upload("қорғау-2.pptx", ["Жаңа құрылым"])],
        now=WORKING,
    )
    second = submit(toolkit_task, cast.student)
    assert second.content == first.content
    assert [item.original_name for item in second.files.filter(is_generated=False)] == ["қорғау-2.pptx"]


def test_a_late_hand_in_is_marked_late(cast, toolkit_task):
    version = hand_in_toolkit(toolkit_task, cast.student, moment=toolkit_task.due_at + dt.timedelta(hours=1))
    assert version.is_late


# Access -----------------------------------------------------------------------------------------------------------


def test_the_toolkit_task_is_found_for_its_student_and_no_other_task_or_person(cast, toolkit_task):
    course = cast.course.pk
    assert toolkit_task_for_student(cast.student, course, toolkit_task.pk) == toolkit_task
    with pytest.raises(Http404):
        toolkit_task_for_student(cast.student, course, cast.tasks["СӨЖ 4"].pk)
    with pytest.raises(Http404):
        toolkit_task_for_student(cast.other_student, course, toolkit_task.pk)
    with pytest.raises(PermissionDenied):
        toolkit_task_for_student(cast.instructor, course, toolkit_task.pk)


def test_a_presentation_is_found_for_its_student_only_and_never_the_made_pdf(cast, toolkit_task):
    version = hand_in_toolkit(toolkit_task, cast.student)
    presentation = version.files.get(is_generated=False)
    made = version.files.get(is_generated=True)
    assert staged_file_for_student(task=toolkit_task, student=cast.student, pk=presentation.pk) == presentation
    with pytest.raises(Http404):
        staged_file_for_student(task=toolkit_task, student=cast.classmate, pk=presentation.pk)
    with pytest.raises(Http404):
        staged_file_for_student(task=cast.tasks["СӨЖ 4"], student=cast.student, pk=presentation.pk)
    with pytest.raises(Http404):
        staged_file_for_student(task=toolkit_task, student=cast.student, pk=made.pk)
    assert SubmissionFile.objects.count() == 2


def test_a_saved_toolkit_is_begun_work_before_anything_is_staged(cast, toolkit_task):
    """The task page's and the student's portfolio's status: a draft once the toolkit is saved, though no version or
    file exists yet."""
    assert student_progress(student=cast.student, tasks=[toolkit_task])[toolkit_task.pk].state == Progress.NOT_STARTED
    services.toolkit_save(task=toolkit_task, student=cast.student, values=toolkit_values(), now=WORKING)
    assert not Version.objects.exists()
    assert student_progress(student=cast.student, tasks=[toolkit_task])[toolkit_task.pk].state == Progress.DRAFT
    other = student_progress(student=cast.classmate, tasks=[toolkit_task])[toolkit_task.pk]
    assert other.state == Progress.NOT_STARTED
