"""Input made to break the portal is answered without a 500 (issue 15): a NUL character anywhere in a request, an id
past 64 bits in an address or a form, numbers that are not finite, files that are empty or badly named, and texts
far beyond any form's limit.

The sweeps walk the URL resolver, so a page added later is covered without a line here (and
tests/test_hostile_input_forms.py posts hostile values into every form of every page). PostgreSQL alone refuses NUL
in text: run these there too.
"""

import importlib
import inspect
import pkgutil
import re
import time
from decimal import Decimal

import lxml.html
import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.translation import gettext

from caseplans.identifiers import Finding, personal_data
from caseplans.models import Vignette
from config.forms import TEXT_LIMIT, FileField
from coursework.forms.readings import MAX_REFERENCES
from coursework.forms.readings import PREFIX as READING_PREFIX
from coursework.models import Extension, Task
from grading.forms.grades import COMMENT_LIMIT
from grading.forms.letter_scale import MAX_ROWS as MAX_LETTERS
from grading.forms.letter_scale import PREFIX as LETTER_PREFIX
from grading.forms.rubrics import MAX_CRITERIA, MAX_LEVELS
from grading.models import Grade, LockedChange
from grading.services.grades import grade_save
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from portfolio.models import SubmissionFile
from tests.grading.conftest import GOOD_PICKS, hand_in, scores_for
from tests.portfolio.conftest import PDF
from tests.toolkits.conftest import pptx_upload

pytestmark = pytest.mark.django_db

NOT_FINITE = ["NaN", "nan", "Infinity", "-Infinity", "inf", "sNaN", "-sNaN", "1e999", "-1e999"]
PAST_64_BITS = "99999999999999999999"  # 20 digits: more than 2**64
LARGEST_ID = "999999999999999999"  # 18 digits, the most an address takes: no row, and no overflow either
NUL_REFUSED = "The address or the form holds a NUL character, which cannot be stored."
APPS = ["accounts", "config", "coursework", "portfolio", "directory", "caseplans", "analysis", "toolkits", "grading"]
_PART = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def routes(patterns=None, prefix=""):
    """Every route of the portal (Django's admin apart), as written in the urls.py files."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def address(route, id_value):
    """``route`` as a path, every id given ``id_value`` and any other part a word."""
    return "/" + _PART.sub(lambda part: id_value if part["converter"] == "id" else "x", route)


ID_ROUTES = [route for route in routes() if "<id:" in route]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_every_id_in_every_address_goes_through_the_bounded_converter():
    assert ID_ROUTES
    assert not [route for route in routes() if "<int:" in route]


# NUL characters ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["instructor", "student", None])
def test_a_nul_in_a_query_parameter_of_any_page_is_refused_with_a_page_saying_why(login, client, cast, who):
    client = login(getattr(cast, who)) if who else client
    for route in routes():
        response = client.get(address(route, str(cast.course.pk)), {"q": "а\x00б", "page": "1"})
        assert response.status_code == 400, route
        assert gettext(NUL_REFUSED) in response.content.decode(), route


def test_a_nul_in_the_path_or_a_parameters_name_is_refused(login, cast):
    client = login(cast.instructor)
    assert client.get(f"/courses/{cast.course.pk}/%00/").status_code == 400
    assert client.get(reverse("grading:gradebook", args=[cast.course.pk]) + "?gr%00oup=1").status_code == 400


def test_a_nul_in_a_posted_name_is_refused_and_nothing_stored(login, cast):
    task = cast.tasks["СОӨЖ 1"]
    response = login(cast.instructor).post(
        reverse("grading:task_edit", args=[cast.course.pk, task.pk]), {"title\x00": "Эссе", "label": task.label}
    )
    assert response.status_code == 400
    assert gettext(NUL_REFUSED) in response.content.decode()
    assert Task.objects.get(pk=task.pk).title == task.title


def test_a_nul_pasted_into_a_text_is_dropped_and_the_rest_kept(login, cast):
    # Invisible, and it may come with text copied from a damaged document: refusing the text would leave the
    # person looking for a character they cannot see.
    response = login(cast.instructor).post(
        reverse("caseplans:vignette_create", args=[cast.course.pk]),
        {"title": "Айгүл\x00", "language": "kk", "client_category": "elderly", "text": "Жағдайы\x00 ауыр."},
    )
    assert response.status_code == 302
    vignette = Vignette.objects.get(title="Айгүл")
    assert vignette.text == "Жағдайы ауыр."


def test_the_refusal_is_in_the_language_the_person_chose(login, cast, settings):
    client = login(cast.student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(reverse("grading:student_home"), {"q": "\x00"})
    assert response.status_code == 400
    assert '<html lang="ru">' in response.content.decode()


def test_a_session_cookie_forged_with_a_nul_signs_no_one_in(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "abcdefgh\x00ijklmnop"
    response = client.get(reverse("grading:student_home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_form_with_more_text_than_django_reads_is_refused_with_a_page_saying_so(login, cast, settings):
    url = reverse("caseplans:vignette_create", args=[cast.course.pk])
    client = login(cast.instructor)
    response = client.post(url, {"title": "Айгүл", "text": "я" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    assert response.status_code == 400
    assert gettext("The request cannot be used") in response.content.decode()
    assert not Vignette.objects.filter(title="Айгүл").exists()
    # The autosave script is answered as it understands: the message, and no claim that another tab saved.
    response = client.post(
        url, {"text": "я" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}, headers={"X-Requested-With": "fetch"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] and response.json()["stale"] is False


# Ids past 64 bits -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["instructor", "student"])
def test_an_id_past_64_bits_in_any_address_finds_no_page(login, cast, who):
    client = login(getattr(cast, who))
    for route in ID_ROUTES:
        path = address(route, PAST_64_BITS)
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code == 404, path


@pytest.mark.parametrize("who", ["instructor", "student"])
def test_the_largest_id_an_address_takes_is_looked_up_without_a_500(login, cast, who):
    client = login(getattr(cast, who))
    client.raise_request_exception = False
    for route in ID_ROUTES:
        for method in (client.get, client.post):
            response = method(address(route, LARGEST_ID))
            assert response.status_code in (200, 302, 400, 403, 404, 405), route


def test_an_id_past_64_bits_in_a_form_is_an_unknown_choice(login, cast):
    task = cast.tasks["СОӨЖ 1"]
    response = login(cast.instructor).post(
        reverse("grading:extension_grant", args=[cast.course.pk, task.pk]),
        {"student": PAST_64_BITS, "due_at": "2025-10-01T12:00"},
        follow=True,
    )
    assert response.status_code == 200
    assert messages_of(response)
    assert not Extension.objects.exists()


def test_ids_past_64_bits_among_several_chosen_are_an_invalid_choice(login, cast):
    # Django guards the lookup of one id, not of a list of them: the course's instructors overflowed SQLite.
    response = login(cast.dept_admin).post(
        reverse("coursework:course_edit", args=[cast.course.pk]),
        {"instructors": [str(cast.instructor.pk), PAST_64_BITS]},
    )
    assert response.status_code == 200
    assert "instructors" in response.context["form"].errors
    assert list(cast.course.instructors.all()) == [cast.instructor]


def test_an_id_past_64_bits_in_a_query_is_ignored(login, cast):
    version = hand_in(cast.tasks["СОӨЖ 1"], cast.student)
    client = login(cast.instructor)
    for name in ("grading:grade", "portfolio:submission_detail"):
        assert client.get(reverse(name, args=[version.submission_id]), {"file": PAST_64_BITS}).status_code == 200


# Numbers that are not finite --------------------------------------------------------------------------------------


@pytest.fixture
def graded_essay(cast):
    letter_scale_ensure()
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = essay_rubric_ensure()
    task.max_points = Decimal(20)
    task.save()
    return hand_in(task, cast.student)


def grade_form(rubric, **changes):
    data = {"lock_version": 0, "action": "save", "feedback": ""}
    for score in scores_for(rubric, GOOD_PICKS):
        prefix = f"c{score['criterion'].pk}"
        data |= {f"{prefix}-level": score["level"].pk, f"{prefix}-points": score["points"], f"{prefix}-comment": ""}
    first = f"c{rubric.criteria.first().pk}"
    return data | {key.replace("first", first): value for key, value in changes.items()}


@pytest.mark.parametrize("value", NOT_FINITE)
def test_a_score_that_is_not_a_finite_number_is_answered_beside_its_field(login, cast, graded_essay, value):
    rubric = graded_essay.submission.task.rubric
    url = reverse("grading:grade", args=[graded_essay.submission_id])
    response = login(cast.instructor).post(
        url, grade_form(rubric, **{"first-points": value, "originality_percent": value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Grade.objects.exists()


@pytest.mark.parametrize("value", NOT_FINITE)
def test_maximum_points_that_are_not_a_finite_number_are_refused(login, cast, value):
    task = cast.tasks["СОӨЖ 1"]
    response = login(cast.instructor).post(
        reverse("grading:task_edit", args=[cast.course.pk, task.pk]),
        {"label": task.label, "title": task.title, "max_points": value, "due_week": value},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Task.objects.get(pk=task.pk).max_points == task.max_points


def test_looking_for_personal_data_in_a_text_far_too_long_takes_no_time():
    # Tried at every letter, the e-mail pattern read to the end of the word each time: 240,000 letters took minutes.
    started = time.monotonic()
    assert personal_data("я" * 30_000 + " aigul@mail.kz") == [Finding("email", "aigul@mail.kz")]
    assert time.monotonic() - started < 1


# Files ------------------------------------------------------------------------------------------------------------


def multipart(field, name_bytes, content, **fields):
    """A form body as a hand-made client would send it: the file's name as raw bytes."""
    boundary = b"hostileboundary"
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, key.encode(), value.encode())
        for key, value in fields.items()
    ]
    parts.append(
        b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: application/pdf\r\n\r\n'
        % (boundary, field.encode(), name_bytes)
        + content
        + b"\r\n"
    )
    return b"".join(parts) + b"--%s--\r\n" % boundary, f"multipart/form-data; boundary={boundary.decode()}"


def upload_pages(cast):
    """(url, file field, extra fields, the name of a file the page accepts) of every page a student uploads on."""
    essay, toolkit = cast.tasks["СОӨЖ 1"], cast.tasks["СӨЖ 3"]
    return {
        "hand-in upload": (reverse("portfolio:draft_upload", args=[cast.course.pk, essay.pk]), "files", {}),
        "hand-in submit": (
            reverse("portfolio:draft_submit", args=[cast.course.pk, essay.pk]),
            "files",
            {"own_work": "on", "deidentified": "on"},
        ),
        "presentation": (
            reverse("toolkits:presentation_upload", args=[cast.course.pk, toolkit.pk]),
            "presentation",
            {},
        ),
    }


PAGES = ["hand-in upload", "hand-in submit", "presentation"]


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_file_is_named_as_empty(login, cast, page):
    url, field, fields = upload_pages(cast)[page]
    body, content_type = multipart(field, "бос.pdf".encode(), b"", **fields)
    response = login(cast.student).post(url, body, content_type=content_type, follow=True)
    assert gettext("«%(name)s» is empty.") % {"name": "бос.pdf"} in messages_of(response)
    assert not SubmissionFile.objects.exists()


NOT_UTF8 = b"\xff\xfe\xd0 work.pdf"
UNREADABLE = {
    "hand-in upload": (
        "Choose at least one file to upload. If you chose one, its name could not be read: rename the file and try "
        "again."
    ),
    # Files are optional in the hand-in form (those staged before are handed in): none arrived and none were staged.
    "hand-in submit": "Choose at least one file to hand in.",
    "presentation": (
        "Choose the file of your presentation. If you chose one, its name could not be read: rename the file and "
        "try again."
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_file_name_that_is_not_utf8_is_answered_with_a_message(login, cast, page):
    url, field, fields = upload_pages(cast)[page]
    body, content_type = multipart(field, NOT_UTF8, PDF, **fields)
    response = login(cast.student).post(url, body, content_type=content_type, follow=True)
    assert response.status_code == 200
    assert messages_of(response) == [gettext(UNREADABLE[page])]
    assert not SubmissionFile.objects.exists()


@pytest.mark.parametrize("page", PAGES)
def test_a_thousand_character_file_name_is_answered_with_a_page_saying_so(login, cast, page):
    url, field, fields = upload_pages(cast)[page]
    body, content_type = multipart(field, b"a" * 1000 + b".pdf", PDF, **fields)
    response = login(cast.student).post(url, body, content_type=content_type)
    assert response.status_code == 400
    assert "150" in response.content.decode()
    assert not SubmissionFile.objects.exists()


def test_a_long_file_name_the_parser_reads_is_kept_shortened_with_its_extension(login, cast):
    url, field, _fields = upload_pages(cast)["presentation"]
    name = "қорғау " * 60 + ".pptx"
    upload = pptx_upload(name)
    login(cast.student).post(url, {field: upload})
    stored = SubmissionFile.objects.get()
    assert len(stored.original_name) <= 150
    assert stored.original_name.endswith(".pptx")


# Free texts -------------------------------------------------------------------------------------------------------


def test_a_240000_character_comment_is_refused_with_the_limit_and_nothing_stored(login, cast, graded_essay):
    rubric = graded_essay.submission.task.rubric
    url = reverse("grading:grade", args=[graded_essay.submission_id])
    response = login(cast.instructor).post(url, grade_form(rubric, **{"first-comment": "я" * 240_000}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'maxlength="{COMMENT_LIMIT}"' in html
    assert str(COMMENT_LIMIT) in " ".join(str(error) for error in response.context["form"].errors.values())
    assert not Grade.objects.exists()


def test_a_240000_character_feedback_is_refused_and_the_limit_shown(login, cast, graded_essay):
    rubric = graded_essay.submission.task.rubric
    url = reverse("grading:grade", args=[graded_essay.submission_id])
    response = login(cast.instructor).post(url, grade_form(rubric, feedback="я" * 240_000))
    assert "feedback" in response.context["form"].errors
    assert f'maxlength="{TEXT_LIMIT}"' in response.content.decode()
    assert not Grade.objects.exists()


def test_a_240000_character_reason_for_a_release_is_refused_with_the_limit(login, cast, graded_essay):
    scores = scores_for(graded_essay.submission.task.rubric, GOOD_PICKS)
    grade = grade_save(version=graded_essay, grader=cast.instructor, expected_lock_version=0, scores=scores)
    response = login(cast.instructor).post(
        reverse("grading:release", args=[grade.pk]), {"reason": "я" * 240_000}, follow=True
    )
    [message] = messages_of(response)
    assert "1000" in message
    grade.refresh_from_db()
    assert not grade.is_released
    assert not LockedChange.objects.exists()


def form_classes():
    """Every form class the portal's apps define."""
    found = []
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or module.name.endswith((".urls", ".wsgi", ".asgi", ".settings")):
                continue
            for _name, value in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
                if issubclass(value, forms.BaseForm) and value.__module__ == module.name:
                    found.append(value)
    return found


def test_every_file_field_of_every_form_names_an_empty_file():
    plain = [
        f"{form_class.__module__}.{form_class.__name__}.{name}"
        for form_class in form_classes()
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.FileField) and not isinstance(field, FileField)
    ]
    assert not plain


def test_every_text_field_of_every_form_has_a_length_limit():
    classes = form_classes()
    assert len(classes) > 20
    unlimited = [
        f"{form_class.__module__}.{form_class.__name__}.{name}"
        for form_class in classes
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert not unlimited


def test_the_task_editor_shows_the_limit_of_a_description(login, cast):
    task = cast.tasks["СОӨЖ 1"]
    html = login(cast.instructor).get(reverse("grading:task_edit", args=[cast.course.pk, task.pk])).content.decode()
    document = lxml.html.fromstring(html)
    [description] = document.xpath("//textarea[@name='description']")
    assert description.get("maxlength") == str(TEXT_LIMIT)


# Counts a form claims ---------------------------------------------------------------------------------------------


def claimed(prefix, count=PAST_64_BITS):
    return {f"{prefix}-TOTAL_FORMS": count, f"{prefix}-INITIAL_FORMS": "0"}


def test_a_rubric_claiming_endless_criteria_and_levels_builds_a_bounded_editor(login, cast):
    # Django's own bound is 2,000 forms a formset: 2,000 criteria of 2,000 levels each stalled a worker.
    levels = {key: value for index in range(40) for key, value in claimed(f"c{index}-levels").items()}
    response = login(cast.instructor).post(
        reverse("grading:rubric_create"), {"rubric-title": "Рубрика", **claimed("criteria"), **levels}
    )
    assert response.status_code == 200
    editor = response.context["editor"]
    assert len(editor.criteria.forms) == MAX_CRITERIA
    assert all(len(formset.forms) <= MAX_LEVELS for formset in editor.levels)
    assert editor.criteria.non_form_errors()


def test_the_letter_scale_and_the_reading_list_build_no_more_rows_than_they_take(login, cast):
    response = login(cast.dept_admin).post(reverse("grading:letter_scale"), claimed(LETTER_PREFIX))
    assert len(response.context["formset"].forms) == MAX_LETTERS
    response = login(cast.instructor).post(
        reverse("coursework:reading_list", args=[cast.course.pk]), claimed(READING_PREFIX)
    )
    assert len(response.context["formset"].forms) == MAX_REFERENCES
