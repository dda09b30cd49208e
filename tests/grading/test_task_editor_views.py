"""The task editor (grading/views/tasks.py): who may reach it, then the table, its sums, the form, the points-change
confirmation, reordering, hiding and deleting."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coursework.models import Course, Task, TaskChange
from coursework.services.tasks import task_create
from grading.models import CourseAssessment, Grade, Rubric
from grading.services.gradebook import gradebook_lock
from grading.services.letter_scale import letter_scale_ensure
from tests.grading.conftest import give, hand_in_work

pytestmark = pytest.mark.django_db


def editor_url(course):
    return reverse("grading:task_editor", args=[course.pk])


def create_url(cast):
    return reverse("grading:task_create", args=[cast.course.pk])


def task_url(name, task):
    return reverse(f"grading:{name}", args=[task.course_id, task.pk])


def form_data(task, **changes):
    """The edit form as the page fills it for ``task``, with ``changes``."""
    data = {
        "label": task.label,
        "kind": task.kind,
        "deliverable": task.deliverable,
        "title": task.title,
        "title_ru": task.title_ru,
        "title_en": task.title_en,
        "description": task.description,
        "description_ru": task.description_ru,
        "description_en": task.description_en,
        "portfolio": task.portfolio,
        "portfolio_ru": task.portfolio_ru,
        "portfolio_en": task.portfolio_en,
        "due_week": task.due_week,
        "due_at_override": "",
        "cutoff_at": "",
        "max_points": "" if task.max_points is None else str(task.max_points),
        "rating_period": task.rating_period or "",
        "rubric": task.rubric_id or "",
    }
    return {**data, **changes}


NEW_TASK = {
    "label": "СӨЖ 5",
    "kind": "sozh",
    "deliverable": "presentation",
    "title": "Кейс таныстырылымы",
    "description": "Кейсті топқа таныстыру.",
    "due_week": "14",
    "max_points": "18",
}


def figure_of(html, name):
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


@pytest.fixture
def scale(db):
    letter_scale_ensure()


# Access first ---------------------------------------------------------------------------------------


def every_page(cast):
    task = cast.tasks["СӨЖ 4"]
    return [
        ("get", editor_url(cast.course)),
        ("get", reverse("grading:task_create", args=[cast.course.pk])),
        ("get", task_url("task_edit", task)),
        ("get", task_url("task_delete", task)),
        ("post", task_url("task_move", task)),
        ("post", task_url("task_hide", task)),
        ("post", task_url("task_show", task)),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for method, url in every_page(cast):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["student", "dept_admin", "other_dept_admin", "other_student"])
def test_people_who_do_not_teach_are_refused(login, cast, who):
    client = login(getattr(cast, who))
    for method, url in every_page(cast):
        assert getattr(client, method)(url).status_code == 403, url
    assert not Task.objects.filter(is_hidden=True).exists()


def test_another_courses_instructor_finds_nothing(login, cast):
    client = login(cast.other_instructor)
    for method, url in every_page(cast):
        assert getattr(client, method)(url).status_code == 404, url


def test_a_task_is_not_reachable_through_another_courses_url(login, cast):
    client = login(cast.instructor)
    wrong = reverse("grading:task_edit", args=[cast.course.pk, cast.other_task.pk])
    assert client.get(wrong).status_code == 404
    assert client.post(reverse("grading:task_hide", args=[cast.course.pk, cast.other_task.pk])).status_code == 404


def test_the_courses_instructor_opens_every_page(login, cast):
    client = login(cast.instructor)
    for method, url in every_page(cast):
        if method == "get":
            assert client.get(url).status_code == 200, url


# The table and its sums ---------------------------------------------------------------------------------


def test_the_table_lists_the_tasks_in_order_with_their_terms(login, cast):
    html = login(cast.instructor).get(editor_url(cast.course)).content.decode()
    rows = re.findall(r'<tr id="task-\d+" data-task="([^"]+)"', html)
    assert rows == ["СОӨЖ 1", "СӨЖ 1", "СОӨЖ 2-3", "СӨЖ 4", "СОӨЖ 4-5", "СӨЖ 3"]
    assert reverse("grading:task_edit", args=[cast.course.pk, cast.tasks["СӨЖ 4"].pk]) in html


def test_the_sums_split_by_rating_period_and_name_the_percentage_tasks(login, cast):
    html = login(cast.instructor).get(editor_url(cast.course)).content.decode()
    assert (figure_of(html, "first"), figure_of(html, "second"), figure_of(html, "total")) == ("22", "40", "62")
    assert 'data-points-check="unset"' in html
    listed = re.search(r"data-percentage-tasks>(.*?)</li>", html, re.S).group(1)
    assert all(label in listed for label in ("СОӨЖ 1", "СОӨЖ 2-3", "СОӨЖ 4-5"))


def test_the_sums_follow_the_courses_first_period_and_a_chosen_period(login, cast):
    CourseAssessment.objects.create(course=cast.course, first_half_last_week=10)
    Task.objects.filter(pk=cast.tasks["СӨЖ 1"].pk).update(rating_period=2)
    html = login(cast.instructor).get(editor_url(cast.course)).content.decode()
    assert (figure_of(html, "first"), figure_of(html, "second")) == ("22", "40")  # СӨЖ 4 in, СӨЖ 1 out


@pytest.mark.parametrize(("expected", "check"), [(62, "equal"), (70, "fewer"), (50, "more")])
def test_the_total_is_checked_against_what_the_department_expects(login, cast, expected, check):
    Course.objects.filter(pk=cast.course.pk).update(expected_points=expected)
    html = login(cast.instructor).get(editor_url(cast.course)).content.decode()
    assert f'data-points-check="{check}"' in html
    if check != "equal":
        gap = abs(62 - expected)
        assert re.search(rf'data-points-check="{check}">[^<]*\b{gap}\b', html)


def test_hidden_tasks_are_marked_and_left_out_of_the_sums(login, cast):
    Task.objects.filter(pk=cast.tasks["СӨЖ 3"].pk).update(is_hidden=True)
    html = login(cast.instructor).get(editor_url(cast.course)).content.decode()
    assert figure_of(html, "total") == "44"
    assert re.search(r'data-task="СӨЖ 3" class="table-secondary" data-hidden', html)
    assert task_url("task_show", cast.tasks["СӨЖ 3"]) in html


# The form ------------------------------------------------------------------------------------------------


def test_a_task_is_added_at_the_end(login, cast):
    response = login(cast.instructor).post(reverse("grading:task_create", args=[cast.course.pk]), NEW_TASK)
    assert response.status_code == 302
    task = Task.objects.get(course=cast.course, label="СӨЖ 5")
    assert (task.due_week, task.max_points, task.deliverable) == (14, Decimal(18), "presentation")
    assert task.position == 7


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"label": "СӨЖ 1"}, "label"),
        ({"title": ""}, "title"),
        ({"description": ""}, "description"),
        ({"due_week": "21"}, "due_week"),
        ({"due_week": "0"}, "due_week"),
        ({"max_points": "бір"}, "max_points"),
        ({"max_points": "0"}, "max_points"),
        ({"max_points": "12,55"}, "max_points"),
        ({"max_points": "150"}, "max_points"),
        ({"cutoff_at": "2025-12-01T12:00"}, "cutoff_at"),
        ({"due_week": "", "cutoff_at": "2025-12-01T12:00"}, "due_week"),
        ({"rating_period": "3"}, "rating_period"),
    ],
)
def test_bad_input_is_answered_next_to_its_field_and_nothing_is_written(login, cast, changes, field):
    response = login(cast.instructor).post(create_url(cast), {**NEW_TASK, **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="error_1_id_{field}"' in response.content.decode()  # the message sits by its field
    assert Task.objects.filter(course=cast.course).count() == 6


def test_points_take_a_decimal_comma(login, cast):
    login(cast.instructor).post(create_url(cast), {**NEW_TASK, "max_points": "12,5"})
    assert Task.objects.get(course=cast.course, label="СӨЖ 5").max_points == Decimal("12.5")


def test_an_edit_is_saved_and_the_rubric_list_offers_only_usable_rubrics(login, cast):
    task = cast.tasks["СӨЖ 4"]
    client = login(cast.instructor)
    assert client.get(task_url("task_edit", task)).context["form"].fields["rubric"].queryset.model.__name__ == "Rubric"
    response = client.post(task_url("task_edit", task), form_data(task, due_week="11", rating_period="1"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.due_week, task.rating_period) == (11, 1)


def test_a_fixed_due_moment_is_kept(login, cast):
    task = cast.tasks["СӨЖ 4"]
    login(cast.instructor).post(task_url("task_edit", task), form_data(task, due_at_override="2025-11-12T18:00"))
    task.refresh_from_db()
    assert timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M") == "2025-11-12 18:00"


# Changing the points of a graded task ------------------------------------------------------------------------


def test_changing_a_graded_tasks_points_shows_what_will_happen_first(login, cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    response = login(cast.instructor).post(task_url("task_edit", task), form_data(task, max_points="18"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-points-change="rescale"' in html
    example = re.search(r"<strong data-example>(.*?)</strong>", html, re.S).group(1)
    assert all(figure in example for figure in ("20", "22", "90,91", "16,4", "18"))
    assert 'name="confirmation" value="1:18"' in html
    assert Task.objects.get(pk=task.pk).max_points == Decimal(22)
    assert Grade.objects.get(submission__task=task).points == Decimal(20)


def test_the_confirmation_rescales_and_the_log_shows_it(login, cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    client = login(cast.instructor)
    response = client.post(task_url("task_edit", task), form_data(task, max_points="18", confirmation="1:18"))
    assert response.status_code == 302
    assert Grade.objects.get(submission__task=task).released_points == Decimal("16.4")
    html = client.get(editor_url(cast.course)).content.decode()
    log = re.search(r"data-task-log>(.*?)</ol>", html, re.S).group(1)
    assert "СӨЖ 4" in log and "22" in log and "18" in log and cast.instructor.display_name in log


def test_a_confirmation_given_for_another_maximum_confirms_nothing(login, cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    response = login(cast.instructor).post(
        task_url("task_edit", task), form_data(task, max_points="15", confirmation="1:18")
    )
    assert response.status_code == 200
    assert 'value="1:15"' in response.content.decode()
    assert Task.objects.get(pk=task.pk).max_points == Decimal(22)


def test_a_locked_gradebook_shows_why_the_change_cannot_be_confirmed(login, cast, scale):
    task = cast.tasks["СӨЖ 4"]
    give(cast, "СӨЖ 4", cast.student, Decimal(20))
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))
    client = login(cast.instructor)
    html = client.post(task_url("task_edit", task), form_data(task, max_points="18")).content.decode()
    assert 'name="confirmation"' not in html
    response = client.post(task_url("task_edit", task), form_data(task, max_points="18", confirmation="1:18"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Task.objects.get(pk=task.pk).max_points == Decimal(22)


# Order, hiding, deleting -----------------------------------------------------------------------------------------


def test_moving_a_task_up_changes_the_order(login, cast):
    client = login(cast.instructor)
    response = client.post(task_url("task_move", cast.tasks["СӨЖ 3"]), {"direction": "up"})
    assert response.status_code == 302
    order = list(Task.objects.filter(course=cast.course).order_by("position").values_list("label", flat=True))
    assert order[-2:] == ["СӨЖ 3", "СОӨЖ 4-5"]
    client.post(task_url("task_move", cast.tasks["СӨЖ 3"]), {"direction": "sideways"})
    assert list(Task.objects.filter(course=cast.course).order_by("position").values_list("label", flat=True)) == order


def test_hiding_and_showing_from_the_editor_are_recorded(login, cast):
    task = cast.tasks["СОӨЖ 4-5"]
    client = login(cast.instructor)
    assert client.post(task_url("task_hide", task)).status_code == 302
    assert Task.objects.get(pk=task.pk).is_hidden
    client.post(task_url("task_show", task))
    assert not Task.objects.get(pk=task.pk).is_hidden
    assert list(TaskChange.objects.filter(task=task).order_by("pk").values_list("kind", flat=True)) == [
        "hidden",
        "shown",
    ]


def test_hiding_needs_a_post(login, cast):
    assert login(cast.instructor).get(task_url("task_hide", cast.tasks["СӨЖ 4"])).status_code == 405


def test_a_task_with_hand_ins_offers_hiding_instead_of_deleting(login, cast):
    task = cast.tasks["СӨЖ 4"]
    hand_in_work(task, cast.student)
    client = login(cast.instructor)
    html = client.get(editor_url(cast.course)).content.decode()
    assert task_url("task_delete", task) not in html
    page = client.get(task_url("task_delete", task))
    assert page.context["can_delete"] is False
    assert task_url("task_hide", task) in page.content.decode()
    response = client.post(task_url("task_delete", task), follow=True)
    assert Task.objects.filter(pk=task.pk).exists()
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


def test_a_task_nobody_worked_on_is_deleted_after_confirmation(login, cast):
    task = task_create(course=cast.course, **{**NEW_TASK, "due_week": 14, "max_points": Decimal(18)})
    client = login(cast.instructor)
    assert client.get(task_url("task_delete", task)).context["can_delete"] is True
    assert Task.objects.filter(pk=task.pk).exists()  # the page only asks
    assert client.post(task_url("task_delete", task)).status_code == 302
    assert not Task.objects.filter(pk=task.pk).exists()


# Queries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 12])
def test_the_editor_uses_a_fixed_number_of_queries(login, cast, scale, django_assert_max_num_queries, extra):
    for number in range(extra):
        task = task_create(
            course=cast.course,
            label=f"СӨЖ {10 + number}",
            kind="sozh",
            deliverable="essay",
            title=f"Эссе {number}",
            description="Эссе",
            due_week=1 + number % 15,
            max_points=Decimal(5),
        )
        client = login(cast.instructor)
        client.post(task_url("task_hide", task))
    if extra:
        give(cast, "СӨЖ 4", cast.student, Decimal(20))
        give(cast, "СӨЖ 1", cast.classmate, Decimal(15))
    client = login(cast.instructor)
    with django_assert_max_num_queries(10):
        assert client.get(editor_url(cast.course)).status_code == 200


def test_the_rubric_list_offers_the_courses_department_rubrics_whoever_teaches_it(login, cast):
    own = Rubric.objects.create(title="Кафедраның рубрикасы", department=cast.department)
    foreign = Rubric.objects.create(title="Басқа кафедраның рубрикасы", department=cast.other_department)
    shared = Rubric.objects.create(title="Ортақ рубрика")
    cast.course.instructors.add(cast.other_instructor)  # a guest lecturer from another department
    form = login(cast.other_instructor).get(task_url("task_edit", cast.tasks["СӨЖ 4"])).context["form"]
    offered = set(form.fields["rubric"].queryset)
    assert {own, shared} <= offered and foreign not in offered
