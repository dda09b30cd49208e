"""The demo command: idempotent, and never on a production site by accident."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from analysis.data import analysis_problems
from analysis.references import reading_list_entry
from caseplans.models import CaseAssignment, Vignette
from coursework.models import Attendance, Booking, Course, Enrollment, Reference, Slot, SlotKind, Task
from demo.courses import DEMO_PASSWORD
from directory.models import Entry, InstitutionReport
from grading.models import Criterion, Grade, Level, Rubric
from grading.selectors.grades import HISTORY_SHOWN
from jobs.models import Job
from portfolio.models import SubmissionFile, Version, WorkingCopy
from toolkits.data import ANSWER_TYPES, toolkit_problems

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "users": sorted(User.objects.values_list("username", "role", "last_name", "department__name")),
        "courses": sorted(Course.objects.values_list("code", "academic_year", "term", "start_date")),
        "tasks": sorted(Task.objects.values_list("course__code", "label", "due_week", "max_points")),
        "enrollments": sorted(Enrollment.objects.values_list("course__code", "student__username", "academic_group")),
        "task_rubrics": sorted(Task.objects.values_list("course__code", "label", "rubric_id")),
        "rubrics": sorted(Rubric.objects.values_list("pk", "title", "is_example", "updated_at")),
        "rubric_rows": (Criterion.objects.count(), Level.objects.count()),
        "grades": sorted(Grade.objects.values_list("pk", "rubric_id", "state", "points", "percent")),
        "slots": sorted(Slot.objects.values_list("pk", "task__label", "kind", "starts_at", "capacity")),
        "bookings": sorted(Booking.objects.values_list("slot_id", "student__username", "attendance")),
        "references": sorted(Reference.objects.values_list("course__code", "position", "text", "url")),
        "institution_reports": sorted(InstitutionReport.objects.values_list("student__username", "entry__key")),
        "vignettes": sorted(Vignette.objects.values_list("pk", "course__code", "title", "is_example")),
        "case_assignments": sorted(
            CaseAssignment.objects.values_list("student__username", "vignette_id", "is_automatic", "assigned_at")
        ),
        "case_plans": sorted(WorkingCopy.objects.values_list("student__username", "revision", "saved_at")),
        "versions": sorted(
            Version.objects.values_list("submission__task__label", "submission__student__username", "number")
        ),
        "working_copies": sorted(
            WorkingCopy.objects.values_list("task__label", "student__username", "revision", "saved_at")
        ),
        "jobs": sorted(Job.objects.values_list("pk", "kind", "state")),
    }


def test_loading_twice_gives_the_same_data(settings):
    settings.DEBUG = True
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first


def test_it_creates_the_promised_accounts_and_courses(settings):
    settings.DEBUG = True
    call_command("load_demo")
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"instructor1", "instructor2", "deptadmin1"} <= usernames
    assert {f"student{n}" for n in range(1, 25)} <= usernames
    seed = Course.objects.get(code="CM-7B11401")
    assert seed.enrollments.count() == 24
    assert set(seed.enrollments.values_list("academic_group", flat=True)) == {"СЖ-23-01", "СЖ-23-02"}
    assert seed.instructors.get().username == "instructor1"
    assert not seed.enrollments.filter(student__username__in=["student25", "student26"]).exists()
    other = Course.objects.get(code="SW-THEORY")
    assert other.instructors.get().username == "instructor2"
    assert User.objects.get(username="student1").check_password(DEMO_PASSWORD)


def test_the_term_started_six_weeks_ago_on_a_monday(settings):
    settings.DEBUG = True
    call_command("load_demo")
    start = Course.objects.get(code="CM-7B11401").start_date
    today = timezone.localdate()
    assert start.isoweekday() == 1
    assert dt.timedelta(weeks=6) <= today - start < dt.timedelta(weeks=7)


def test_it_refuses_to_run_without_debugging(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_force_overrides_the_refusal(settings):
    settings.DEBUG = False
    call_command("load_demo", "--force")
    assert User.objects.filter(username="student1").exists()


def test_each_task_is_graded_with_its_own_rubric(settings):
    settings.DEBUG = True
    call_command("load_demo")
    rubrics = dict(Task.objects.filter(course__code="CM-7B11401").values_list("label", "rubric__title_en"))
    essay = "Written essay task: criteria for assessing learning outcomes"
    assert rubrics == {
        "СОӨЖ 1": essay,
        "СӨЖ 1": "Repository of social services: assessment criteria",
        "СОӨЖ 2-3": "Individual work plan (case plan): assessment criteria",
        "СӨЖ 4": "Comparison of case-management models and SWOT analysis: assessment criteria",
        "СОӨЖ 4-5": essay,
        "СӨЖ 3": "Set of in-depth assessment methods (final project): assessment criteria",
    }
    examples = Rubric.objects.filter(is_example=True)
    assert examples.count() == 4 and not examples.filter(department__isnull=False).exists()
    assert not Rubric.objects.get(title_en=essay).is_example


def test_a_department_rubric_by_instructor1_is_used_by_a_colleagues_course_and_says_who_edits_it(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    rubric = Rubric.objects.get(department__isnull=False, created_by__username="instructor1", is_example=False)
    used_by = Task.objects.filter(rubric=rubric)
    assert sorted(used_by.values_list("course__code", "label")) == [("SW-THEORY", "СӨЖ 1"), ("SW-THEORY", "СӨЖ 2")]
    client.force_login(User.objects.get(username="instructor2"))
    page = client.get(reverse("grading:rubric_detail", args=[rubric.pk])).content.decode()
    assert "Серікбаев" in page and "SW-THEORY" in page
    assert reverse("grading:rubric_edit", args=[rubric.pk]) not in page
    assert client.get(reverse("grading:rubric_edit", args=[rubric.pk])).status_code == 403


def test_the_demo_has_files_prepared_in_the_background_listed_with_their_links(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    course = Course.objects.get(code="CM-7B11401")
    for username, page in (
        ("instructor1", reverse("grading:gradebook", args=[course.pk])),
        ("deptadmin1", reverse("grading:department_home")),
    ):
        job = Job.objects.get(requested_by__username=username)
        assert job.state == Job.State.DONE and job.file
        client.force_login(User.objects.get(username=username))
        assert reverse("jobs:job", args=[job.pk]) in client.get(page).content.decode()
        download = client.get(reverse("jobs:download", args=[job.pk]))
        assert b"".join(download.streaming_content)[:4] in (b"%PDF", b"PK\x03\x04")


def test_the_work_past_due_is_graded_and_released_with_its_tasks_rubric(settings):
    settings.DEBUG = True
    call_command("load_demo")
    for label in ("СОӨЖ 1", "СӨЖ 1"):
        task = Task.objects.get(course__code="CM-7B11401", label=label)
        grades = Grade.objects.filter(submission__task=task)
        assert grades.filter(state=Grade.State.RELEASED).count() >= 10, label
        assert set(grades.values_list("rubric_id", flat=True)) == {task.rubric_id}, label
        # Every criterion of the task's rubric is scored, inside the level chosen.
        for grade in grades.prefetch_related("scores__level"):
            assert grade.scores.count() == task.rubric.criteria.count()
            assert all(s.level.min_percent <= s.points <= s.level.max_percent for s in grade.scores.all())
    repository = Task.objects.get(course__code="CM-7B11401", label="СӨЖ 1")
    assert Grade.objects.filter(submission__task=repository, has_unreleased_changes=True).count() == 1


def test_a_demo_grade_has_more_changes_than_the_grading_page_shows_at_first(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    grade = Grade.objects.get(submission__task__label="СОӨЖ 1", submission__student__username="student3")
    assert grade.is_released and grade.changes.count() > HISTORY_SHOWN
    client.force_login(User.objects.get(username="instructor1"))
    page = client.get(reverse("grading:grade", args=[grade.submission_id])).content.decode()
    history = page.split('aria-labelledby="history-heading"', 1)[1].split("</section>", 1)[0]
    assert history.count('<li class="list-group-item">') == HISTORY_SHOWN and 'class="history-all"' in history


def test_the_demo_has_consultations_held_and_defences_open_for_booking(settings):
    settings.DEBUG = True
    call_command("load_demo")
    now = timezone.now()
    course = Course.objects.get(code="CM-7B11401")
    past = Booking.objects.filter(slot__task__course=course, slot__starts_at__lte=now)
    assert past.filter(attendance=Attendance.ATTENDED).exists()
    assert past.filter(attendance=Attendance.ABSENT).exists()
    assert not past.filter(attendance="").exists()
    assert not Booking.objects.filter(slot__starts_at__gt=now).exclude(attendance="").exists()
    defences = Slot.objects.filter(task__course=course, kind=SlotKind.DEFENCE, booking_closes_at__gt=now)
    assert {slot.task.label for slot in defences} == {"СОӨЖ 2-3", "СӨЖ 3"}
    assert all(slot.bookings.count() <= slot.capacity for slot in Slot.objects.all())
    assert course.references.count() == 17


def test_the_demo_fills_the_directory_and_files_institution_reports_under_it(settings):
    settings.DEBUG = True
    call_command("load_demo")
    course = Course.objects.get(code="CM-7B11401")
    assert Entry.objects.filter(department=course.department).count() >= 10
    reports = InstitutionReport.objects.filter(task__course=course).select_related("entry", "student")
    assert {report.student.username for report in reports} == {"student2", "student3", "student14"}
    assert all(report.entry.department_id == course.department_id for report in reports)


def test_the_demo_hands_out_the_example_cases_and_has_case_plans_handed_in_defended_and_graded(settings):
    settings.DEBUG = True
    call_command("load_demo")
    now = timezone.now()
    course = Course.objects.get(code="CM-7B11401")
    task = course.tasks.get(label="СОӨЖ 2-3")
    vignettes = course.vignettes.all()
    assert vignettes.count() == 5 and all(vignette.is_example for vignette in vignettes)
    assert {vignette.client_category for vignette in vignettes} == {
        "domestic_violence", "families", "disability", "unemployed", "elderly",
    }  # fmt: skip
    # Every student has a case, shared out evenly.
    given = CaseAssignment.objects.filter(task=task)
    enrolled = set(course.enrollments.values_list("student_id", flat=True))
    assert set(given.values_list("student_id", flat=True)) == enrolled
    per_case = [given.filter(vignette=vignette).count() for vignette in vignettes]
    assert max(per_case) - min(per_case) <= 1
    assert all(assigned_at < now for assigned_at in given.values_list("assigned_at", flat=True))

    # Eight plans handed in, each version frozen with its PDF; two of them twice; two more begun only.
    versions = Version.objects.filter(submission__task=task, state=Version.State.SUBMITTED)
    handed_in = set(versions.values_list("submission__student__username", flat=True))
    assert len(handed_in) == 8 and {"student1", "student2"} <= handed_in
    assert versions.filter(number=2).count() == 2
    assert all(version.content["kind"] == "case_plan" for version in versions)
    assert all(version.submitted_at < now and not version.is_late for version in versions)
    files = SubmissionFile.objects.filter(version__in=versions)
    assert files.count() == versions.count()
    assert all(item.extension == "pdf" and item.file.open("rb").read(5) == b"%PDF-" for item in files)
    assert {version.content["case"]["client_category"] for version in versions} == {
        vignette.client_category for vignette in vignettes
    }
    begun = set(WorkingCopy.objects.filter(task=task).values_list("student__username", flat=True)) - handed_in
    assert begun == {"student3", "student4"}
    # Referrals pick organisations of the demo's directory, with their contacts copied into the plan.
    referrals = [row for version in versions for row in version.content["plan"]["referrals"]]
    picked = [row for row in referrals if row["entry"]]
    assert picked and all(row["directory"]["name"] for row in picked)
    assert set(Entry.objects.filter(pk__in=[row["entry"] for row in picked]).values_list("department", flat=True)) == {
        course.department_id
    }

    # Six defended early (attended) and were graded with the rubric, the defence included; five are released.
    grades = Grade.objects.filter(submission__task=task).select_related("submission__student")
    graded = {grade.submission.student.username for grade in grades}
    assert len(graded) == 6 and not graded & {"student1", "student2"}
    assert grades.filter(state=Grade.State.RELEASED).count() == 5
    assert set(grades.values_list("rubric_id", flat=True)) == {task.rubric_id}
    defence = task.rubric.criteria.get(title="Қорғау")
    assert all(grade.scores.filter(criterion=defence).exists() for grade in grades)
    assert all(grade.version.is_latest for grade in grades)
    defended = Booking.objects.filter(slot__task=task, slot__kind=SlotKind.DEFENCE, slot__starts_at__lt=now)
    assert set(defended.filter(attendance=Attendance.ATTENDED).values_list("student__username", flat=True)) == graded
    # Those who handed in without defending yet are booked for the defences to come.
    waiting = Booking.objects.filter(slot__task=task, slot__kind=SlotKind.DEFENCE, slot__starts_at__gt=now)
    assert {"student1", "student2"} <= set(waiting.values_list("student__username", flat=True))


def test_the_demo_has_analyses_built_in_the_portal_handed_in_with_a_report_and_graded(settings):
    settings.DEBUG = True
    call_command("load_demo")
    task = Task.objects.get(course__code="CM-7B11401", label="СӨЖ 4")
    latest = {
        version.submission.student.username: version
        for version in Version.objects.latest_submitted()
        .filter(submission__task=task)
        .select_related("submission__student")
        .prefetch_related("files")
    }
    assert len(latest) == 7
    assert Version.objects.filter(submission__task=task, submission__student__username="student10").count() == 2
    reading = [reading_list_entry(reference) for reference in task.course.references.all()]
    from_reading_list = 0
    for username, version in latest.items():
        content = version.content
        assert content["kind"] == "model_comparison", username
        data = content["analysis"]
        # Each analysis passes every check at its hand-in, before the task's due moment.
        assert version.submitted_at < task.due_at and version.submitted_at < timezone.now()
        assert analysis_problems(data, today=timezone.localdate(version.submitted_at)) == [], username
        assert 2 <= len(data["models"]) <= 3 and len(content["references_formatted"]) == len(data["references"])
        entries = [{**entry, "accessed": ""} for entry in data["references"]]
        from_reading_list += any({**entry, "accessed": ""} in entries for entry in reading)
        # The PDF the portal made and the report the student uploaded, counted from its own statistics.
        files = list(version.files.all())
        generated = [item for item in files if item.is_generated]
        reports = [item for item in files if not item.is_generated]
        assert len(generated) == 1 and generated[0].extension == "pdf", username
        assert len(reports) == 1 and reports[0].extension == "docx", username
        report = reports[0]
        assert report.page_count >= 2 and report.word_count > 200 and not report.pages_estimated, username
        with generated[0].file.open("rb") as stream:
            assert stream.read(5) == b"%PDF-"
    assert from_reading_list >= 5
    # Students chose different models and criteria.
    chosen = {tuple(model["name"] for model in version.content["analysis"]["models"]) for version in latest.values()}
    assert len(chosen) >= 5
    assert len({len(version.content["analysis"]["criteria"]) for version in latest.values()}) >= 3
    # Graded with the task's rubric: five released, one a draft, one left to grade.
    grades = Grade.objects.filter(version__in=latest.values()).select_related("version__submission__student")
    states = {grade.version.submission.student.username: grade.state for grade in grades}
    assert sorted(states.values()).count(Grade.State.RELEASED) == 5
    assert list(states.values()).count(Grade.State.DRAFT) == 1
    assert set(latest) - set(states) == {"student19"}
    assert {grade.rubric_id for grade in grades} == {task.rubric_id}
    assert all(grade.scores.count() == task.rubric.criteria.count() for grade in grades)
    # student1 has begun and not handed in.
    copy = WorkingCopy.objects.get(task=task, student__username="student1")
    assert len(copy.data["models"]) == 3 and not copy.data["references"]
    assert "student1" not in latest


def test_the_demo_has_toolkits_built_in_the_portal_handed_in_with_a_presentation_defended_and_graded(settings):
    settings.DEBUG = True
    call_command("load_demo")
    now = timezone.now()
    task = Task.objects.get(course__code="CM-7B11401", label="СӨЖ 3")
    latest = {
        version.submission.student.username: version
        for version in Version.objects.latest_submitted()
        .filter(submission__task=task)
        .select_related("submission__student")
        .prefetch_related("files")
    }
    assert set(latest) == {"student6", "student9", "student14", "student17"}
    assert Version.objects.filter(submission__task=task, submission__student__username="student9").count() == 2
    instruments = []
    for username, version in latest.items():
        assert version.content["kind"] == "assessment_toolkit", username
        data = version.content["toolkit"]
        # Each toolkit passes every check at its hand-in: criteria defined, each served, instruments of two types.
        assert toolkit_problems(data) == [], username
        assert 4 <= len(data["criteria"]) <= 6 and all(criterion["definition"] for criterion in data["criteria"])
        assert 2 <= len(data["instruments"]) <= 3, username
        assert version.submitted_at < now and not version.is_late
        instruments += data["instruments"]
        # The PDF the portal made of the toolkit, and the presentation, read by the portal as a deck of slides.
        files = list(version.files.all())
        generated = [item for item in files if item.is_generated]
        decks = [item for item in files if not item.is_generated]
        assert len(generated) == 1 and generated[0].file.open("rb").read(5) == b"%PDF-", username
        assert len(decks) == 1 and decks[0].extension == "pptx", username
        titles = decks[0].slide_titles
        assert titles[:3] == [
            "Бағалау құралдарының жиынтығы", "Клиенттер санаты және жобаның мақсаты", "Әлеуметтік тарих критерийлері",
        ]  # fmt: skip
        assert [instrument["title"] for instrument in data["instruments"]] == titles[3:-2]
        assert decks[0].page_count == len(titles)
    # Four client categories of the course's list; every type of instrument and of answer; 1–5 scales with anchors.
    assert {version.content["toolkit"]["category"] for version in latest.values()} == {
        "domestic_violence", "families", "unemployed", "elderly",
    }  # fmt: skip
    assert {instrument["type"] for instrument in instruments} == {
        "questionnaire", "observation", "rating_scale", "interview_guide",
    }  # fmt: skip
    items = [item for instrument in instruments for item in instrument["items"]]
    assert {item["answer"] for item in items} == set(ANSWER_TYPES)
    scales = [item for item in items if item["answer"] == "scale" and item["scale_to"] == 5]
    assert scales and all(item["anchors"]["1"] == "ешқашан" and item["anchors"]["5"] == "әрқашан" for item in scales)

    # They defended after handing in (attended) and were graded with the rubric, the defence included: three
    # released, one a draft.
    defended = Booking.objects.filter(slot__task=task, slot__kind=SlotKind.DEFENCE, slot__starts_at__lt=now)
    assert {booking.student.username for booking in defended} == set(latest)
    assert all(booking.attendance == Attendance.ATTENDED for booking in defended)
    assert all(latest[booking.student.username].submitted_at < booking.slot.starts_at for booking in defended)
    grades = Grade.objects.filter(submission__task=task).select_related("submission__student")
    assert {grade.submission.student.username for grade in grades} == set(latest)
    assert sorted(grade.state for grade in grades) == [Grade.State.DRAFT] + [Grade.State.RELEASED] * 3
    defence = task.rubric.criteria.get(title="Қорғау")
    assert all(grade.scores.filter(criterion=defence).exists() for grade in grades)
    assert all(grade.scores.count() == task.rubric.criteria.count() for grade in grades)
    assert {grade.rubric_id for grade in grades} == {task.rubric_id}

    # student1 has begun a toolkit for a category of their own naming and not handed it in; student2, booked for a
    # defence to come, has not begun.
    copy = WorkingCopy.objects.get(task=task, student__username="student1")
    assert copy.data["category"] == "other" and copy.data["category_other"]
    assert len(copy.data["criteria"]) == 4 and toolkit_problems(copy.data)
    assert not Version.objects.filter(submission__task=task, submission__student__username="student1").exists()
    assert not WorkingCopy.objects.filter(task=task, student__username="student2").exists()
    waiting = Booking.objects.filter(slot__task=task, slot__kind=SlotKind.DEFENCE, slot__starts_at__gt=now)
    assert {"student1", "student2"} <= {booking.student.username for booking in waiting}


def test_most_essays_are_as_long_as_the_task_asks_and_a_few_are_short(settings):
    settings.DEBUG = True
    call_command("load_demo")
    task = Task.objects.get(course__code="CM-7B11401", label="СОӨЖ 1")
    assert (task.pages_min, task.pages_max) == (5, 7)
    latest = SubmissionFile.objects.filter(version__submission__task=task, version__is_latest=True)
    # The essays record no page statistics: their pages are estimated from their words, as the page says.
    assert latest.count() >= 15 and all(item.pages_estimated for item in latest)
    pages = [item.page_count for item in latest]
    assert sum(task.pages_min <= count <= task.pages_max for count in pages) >= len(pages) * 3 / 4
    assert any(count < task.pages_min for count in pages)
    # student1's second version has more to it than the first.
    first, second = SubmissionFile.objects.filter(
        version__submission__task=task, version__submission__student__username="student1"
    ).order_by("version__number")
    assert second.word_count > first.word_count and second.page_count <= task.pages_max
