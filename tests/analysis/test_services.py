"""Saving and handing in СӨЖ 4: the working copy, the report, the frozen version with its PDF."""

import pytest
from django.core.exceptions import ValidationError

from analysis import services
from portfolio import services as portfolio_services
from portfolio.models import Submission, Version, WorkingCopy
from tests.analysis.conftest import WORKING, analysis_values, hand_in_analysis
from tests.portfolio.conftest import docx


def test_a_save_keeps_the_analysis_and_refuses_a_page_that_started_from_an_older_revision(cast, comparison_task):
    copy = services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values(), now=WORKING)
    assert copy.revision == 1 and copy.data["models"][0]["name"] == "Брокерлік модель"
    services.analysis_save(
        task=comparison_task, student=cast.student, values=analysis_values(), revision=1, now=WORKING
    )
    with pytest.raises(ValidationError) as refused:
        services.analysis_save(
            task=comparison_task, student=cast.student, values={"models-0-name": "Ескі"}, revision=1, now=WORKING
        )
    assert refused.value.code == "stale"
    assert WorkingCopy.objects.get().data["models"][0]["name"] == "Брокерлік модель"


def test_only_the_comparison_task_is_saved_here(cast):
    with pytest.raises(ValidationError):
        services.analysis_save(task=cast.tasks["СОӨЖ 1"], student=cast.student, values={}, now=WORKING)
    assert not WorkingCopy.objects.exists()


def test_handing_in_freezes_every_part_with_the_report_and_the_pdf(cast, comparison_task):
    version = hand_in_analysis(comparison_task, cast.student)
    content = version.content
    assert content["kind"] == "model_comparison" and content["reference_style"] == "gost"
    assert content["analysis"]["models"][0]["name"] == "Брокерлік модель"
    assert len(content["references_formatted"]) == 5
    # ГОСТ: Cyrillic sources first, in Kazakh alphabetical order (М before С), then Latin ones.
    assert [line[:4] for line in content["references_formatted"]] == ["Муст", "Сары", "Соци", "Blun", "Fran"]
    files = {item.original_name: item for item in version.files.all()}
    report = files.pop("есеп.docx")
    assert not report.is_generated and report.word_count is not None
    (made,) = files.values()
    assert made.is_generated and made.extension == "pdf" and made.file.read(5) == b"%PDF-"


def test_without_a_report_nothing_is_handed_in(cast, comparison_task):
    services.analysis_save(task=comparison_task, student=cast.student, values=analysis_values(), now=WORKING)
    with pytest.raises(ValidationError, match="файлды қосыңыз"):
        services.analysis_submit(task=comparison_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert not Version.objects.filter(state="submitted").exists()


def test_a_failing_analysis_lists_every_failure_and_hands_nothing_in(cast, comparison_task):
    portfolio_services.draft_add_files(task=comparison_task, student=cast.student, uploads=[docx()], now=WORKING)
    values = analysis_values(**{"cell-c0-m0": "", "threats-1-text": ""})
    services.analysis_save(task=comparison_task, student=cast.student, values=values, now=WORKING)
    with pytest.raises(ValidationError) as refused:
        services.analysis_submit(task=comparison_task, student=cast.student, statement_accepted=True, now=WORKING)
    assert len(refused.value.messages) == 2
    assert not Version.objects.filter(state="submitted").exists()


def test_a_second_version_keeps_the_report_and_is_refused_when_nothing_changed(cast, comparison_task):
    first = hand_in_analysis(comparison_task, cast.student)
    with pytest.raises(ValidationError, match="ештеңе өзгерген жоқ"):
        services.analysis_submit(task=comparison_task, student=cast.student, statement_accepted=True, now=WORKING)
    second = hand_in_analysis(comparison_task, cast.student)
    assert second.number == 2
    names = sorted(item.original_name for item in second.files.all() if not item.is_generated)
    assert names == ["есеп.docx"]  # the report came along from version 1
    assert Version.objects.get(pk=first.pk).content != second.content
    assert Submission.objects.get().versions.filter(is_latest=True).get() == second


def test_the_apa_style_of_a_course_is_what_the_version_keeps(cast, comparison_task):
    cast.course.reference_style = "apa"
    cast.course.save()
    comparison_task.refresh_from_db()
    version = hand_in_analysis(comparison_task, cast.student)
    assert version.content["reference_style"] == "apa"
    assert any(
        line.startswith("Frankel, A. J., Gelman, S. R., & Pastor, D. K. (2019).")
        for line in version.content["references_formatted"]
    )


def test_the_work_takes_one_report_whatever_page_the_upload_comes_from(cast, comparison_task):
    portfolio_services.draft_add_files(
        task=comparison_task, student=cast.student, uploads=[docx("a.docx")], now=WORKING
    )
    with pytest.raises(ValidationError, match="алдымен"):
        portfolio_services.draft_add_files(
            task=comparison_task, student=cast.student, uploads=[docx("b.docx")], now=WORKING
        )
    with pytest.raises(ValidationError):
        portfolio_services.draft_add_files(
            task=cast.tasks["СӨЖ 4"], student=cast.classmate, uploads=[docx("c.docx"), docx("d.docx")], now=WORKING
        )
    names = Version.objects.get(submission__student=cast.student).files.values_list("original_name", flat=True)
    assert list(names) == ["a.docx"]
    assert not Version.objects.filter(submission__student=cast.classmate).exists()
