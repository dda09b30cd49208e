"""The schedule's rows, the course document and the queue's form fields, written in Python
(grading/templatetags/schedule_tags.py, coursework/templatetags/course_tags.py, grading_queue's ``form_fields``): each
state of a row says what the templates said, in Kazakh and in Russian, and the badges stay those of the templates the
task page still includes."""

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from coursework.models import Extension, Reference, Status
from grading.selectors.progress import student_progress
from grading.services.grades import grade_release, grade_save
from grading.templatetags.grading_queue import _widget, form_fields
from grading.templatetags.schedule_tags import _progress_badge, _Texts
from grading.views.courses import SCHEDULE_DEFER
from grading.views.queue import _bootstrap
from portfolio import services
from portfolio.forms import DeadlineForm, ExtensionForm
from portfolio.selectors import Progress
from tests.grading.conftest import GOOD_PICKS, HANDED_IN, hand_in, scores_for
from tests.portfolio.conftest import docx

pytestmark = pytest.mark.django_db

LANGUAGES = ["kk", "ru"]


def course_page(client, course, language):
    client.cookies["portal_language"] = language
    return client.get(reverse("grading:course_detail", args=[course.pk])).content.decode()


def row_of(html, label):
    start = html.index(f'<tr data-task="{label}">')
    return html[start : html.index("</tr>", start)]


def plain(html):
    """The row's text and tags with whitespace runs made one space."""
    return re.sub(r"\s+", " ", html)


def local(moment):
    return timezone.localtime(moment)


@pytest.fixture
def states(cast, essay):
    """The student's tasks in each state a row shows: graded and released (with points), handed in, a draft, an
    extension, a due moment the instructor set, submissions closed; the classmate's essay handed in, not graded."""
    tasks = cast.tasks
    graded = hand_in(essay, cast.student)
    scores = scores_for(essay.rubric, GOOD_PICKS)  # 15.2 of 20
    grade = grade_save(version=graded, grader=cast.instructor, expected_lock_version=0, scores=scores)
    grade_release(grade=grade, by=cast.instructor, notify=False)
    hand_in(essay, cast.classmate)
    services.draft_add_files(task=tasks["СОӨЖ 4-5"], student=cast.student, uploads=[docx()], now=HANDED_IN)
    extended = tasks["СӨЖ 1"]
    Extension.objects.create(
        task=extended, student=cast.student, due_at=extended.due_at + dt.timedelta(days=3), granted_by=cast.instructor
    )
    overridden = tasks["СОӨЖ 2-3"]
    overridden.due_at_override = dt.datetime(2025, 10, 15, 18, 0, tzinfo=dt.UTC)
    overridden.save()
    closed = tasks["СӨЖ 4"]
    closed.cutoff_at = closed.due_at + dt.timedelta(days=1)
    closed.max_points = None
    closed.save()
    return tasks


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_students_rows_say_where_they_stand(login, cast, states, language):
    html = course_page(login(cast.student), cast.course, language)
    with translation.override(language):
        graded = plain(row_of(html, "СОӨЖ 1"))
        assert f'<span class="badge status status-graded">{gettext("Graded")} · 15,2</span>' in graded
        assert "status-past" not in graded  # a status badge only until something is handed in
        assert gettext("Version %(number)s handed in.") % {"number": 1} in graded
        assert '<td class="text-end" data-label="{}">20</td>'.format(gettext("Max points")) in graded

        draft = plain(row_of(html, "СОӨЖ 4-5"))
        assert f'<span class="badge status status-draft">{gettext("Draft")}</span> ' in draft
        assert f'<span class="badge status status-past">{gettext("Past due")}</span>' in draft
        assert gettext("Submit your draft.") in draft

        extended = plain(row_of(html, "СӨЖ 1"))
        own = local(states["СӨЖ 1"].due_at + dt.timedelta(days=3))
        assert f'<time datetime="{own.isoformat()}">' in extended
        assert f"{own:%H:%M} · {gettext('extended for you')}</div>" in extended
        assert gettext("Overdue: hand it in as soon as you can.") in extended

        overridden = plain(row_of(html, "СОӨЖ 2-3"))
        assert '<time datetime="2025-10-15T23:00:00+05:00">' in overridden
        assert f"23:00 · {gettext('date set by the instructor')}</div>" in overridden

        closed = plain(row_of(html, "СӨЖ 4"))
        assert gettext("Submissions are closed.") in closed
        assert f'<span class="text-body-secondary" title="{gettext("No points set")}">—</span>' in closed
        assert "status=" not in html  # the staff's counts are not a student's


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_rows_count_the_hand_ins_and_link_to_the_queue(login, cast, states, language):
    html = course_page(login(cast.instructor), cast.course, language)
    queue = reverse("grading:queue", args=[cast.course.pk, states["СОӨЖ 1"].pk])
    with translation.override(language):
        essay = plain(row_of(html, "СОӨЖ 1"))
        assert f' · <a href="{queue}">{gettext("Submissions")}</a></div>' in essay
        handed_in = ngettext("%(counter)s handed in", "%(counter)s handed in", 2) % {"counter": 2}
        to_grade = ngettext("%(counter)s to grade", "%(counter)s to grade", 1) % {"counter": 1}
        graded = ngettext("%(counter)s graded", "%(counter)s graded", 1) % {"counter": 1}
        released = ngettext("%(counter)s released", "%(counter)s released", 1) % {"counter": 1}
        assert (
            f'<ul class="list-inline small mb-0 mt-1 task-counts"> '
            f'<li class="list-inline-item"><a href="{queue}?status=submitted">{handed_in}</a></li> '
            f'<li class="list-inline-item"><a class="fw-semibold" href="{queue}?status=ungraded">{to_grade}</a></li> '
            f'<li class="list-inline-item">{graded}</li> <li class="list-inline-item">{released}</li> </ul>'
        ) in essay
        assert "status=late" not in essay  # both on time
        nothing = plain(row_of(html, "СӨЖ 3"))
        assert gettext("Nothing has been handed in for this task yet.") in nothing
        assert f'<span class="badge status status-past">{gettext("Past due")}</span>' in nothing


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_badges_are_the_templates_the_task_page_includes(cast, states, language):
    tasks = list(cast.course.tasks.shown().for_schedule())
    progress = student_progress(student=cast.student, tasks=tasks, defer=SCHEDULE_DEFER)
    with translation.override(language):
        texts = _Texts()
        assert {item.state for item in progress.values()} >= {Progress.GRADED, Progress.DRAFT, Progress.NOT_STARTED}
        for item in progress.values():
            expected = render_to_string("portfolio/includes/progress_badge.html", {"progress": item}).strip()
            assert _progress_badge(item, texts) == expected
        for status in Status:
            expected = render_to_string("coursework/includes/status_badge.html", {"status": status}).strip()
            assert texts.status_badges[status] == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_course_document_offers_its_editor_to_the_instructors_alone(login, cast, language):
    edit = reverse("coursework:reading_list", args=[cast.course.pk])
    with translation.override(language):
        label = gettext("Edit reading list")
    assert f'href="{edit}">{label}</a>' in course_page(login(cast.instructor), cast.course, language)
    assert edit not in course_page(login(cast.student), cast.course, language)


def test_an_entry_with_text_and_address_joins_them_and_an_empty_list_says_so(login, cast):
    Reference.objects.create(course=cast.course, position=99, group="internet", text="Әділет", url="https://adilet.kz")
    html = course_page(login(cast.student), cast.course, "kk")
    assert '>Әділет — <a class="text-break" href="https://adilet.kz" target="_blank" rel="noopener">' in html

    cast.course.references.all().delete()
    cast.course.compiler = ""
    cast.course.save()
    html = course_page(login(cast.student), cast.course, "ru")
    with translation.override("ru"):
        assert gettext("The reading list is empty.") in html
        assert gettext("compiled by %(compiler)s").split("%")[0] not in html
        assert (
            ngettext("reading list: %(counter)s entry", "reading list: %(counter)s entries", 0) % {"counter": 0} in html
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_queue_form_fields_write_the_inputs_as_django_does(cast, language):
    due = dt.datetime(2025, 10, 15, 18, 0, tzinfo=dt.UTC)
    deadline = _bootstrap(DeadlineForm(initial={"due_at_override": due, "cutoff_at": None}))
    refused = _bootstrap(
        ExtensionForm({"due_at": "не дата", "reason": "x" * 501}, students=cast.course.enrollments.none())
    )
    with translation.override(language):
        for form in (deadline, refused):
            for field in form:
                assert _widget(field) == str(field)
        assert 'value="2025-10-15T23:00"' in _widget(deadline["due_at_override"])
        html = form_fields(refused, skip="student")
        assert 'name="student"' not in html
        for error in refused["due_at"].errors:
            assert f'<div class="invalid-feedback d-block">{error}</div>' in html
        help_text = deadline["cutoff_at"].help_text
        assert f'<div id="id_cutoff_at_helptext" class="form-text">{help_text}</div>' in form_fields(deadline)
