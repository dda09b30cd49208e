"""The rubric editor (grading/views/rubrics.py): who reaches it, then listing, reading, writing, copying and
attaching rubrics."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from grading.models import Criterion, Level, Rubric
from grading.services.grades import grade_save
from grading.services.rubrics import essay_rubric_ensure, example_rubrics_ensure, rubric_copy
from tests.conftest import make_user
from tests.grading.conftest import GOOD_PICKS, hand_in, scores_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    """The course document's essay rubric, shared by every department."""
    return essay_rubric_ensure()


@pytest.fixture
def examples(db):
    """The example rubrics the portal ships for the structured deliverables, by deliverable."""
    return example_rubrics_ensure()


@pytest.fixture
def own(cast, seed):
    """The cast department's own copy of the seed rubric."""
    return rubric_copy(rubric=seed, department=cast.department, user=cast.instructor, title="Біздің рубрика")


@pytest.fixture
def foreign(cast, seed):
    """A rubric of the other department."""
    return rubric_copy(rubric=seed, department=cast.other_department, user=cast.other_instructor)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def table(rubric):
    """Criteria and levels as (title, [(level title, from, to), ...]) in order."""
    return [
        (criterion.title, [(level.title, level.min_percent, level.max_percent) for level in criterion.levels.all()])
        for criterion in rubric.criteria.prefetch_related("levels")
    ]


def rows_of(rubric):
    """A rubric as the editor posts it back unchanged: existing criteria and levels with their pks."""
    return [
        {
            "pk": criterion.pk,
            "title": criterion.title,
            "levels": [
                {"pk": level.pk, "title": level.title, "min": level.min_percent, "max": level.max_percent}
                for level in criterion.levels.all()
            ],
        }
        for criterion in rubric.criteria.prefetch_related("levels")
    ]


def editor_post(title, criteria):
    """The editor's POST data, management forms included. Rows with a pk must come first in each list."""
    data = {
        "rubric-title": title,
        "rubric-title_ru": "",
        "rubric-title_en": "",
        "rubric-holistic_scale": "",
        **management("criteria", criteria),
    }
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}"
        data |= {f"{prefix}-id": criterion.get("pk") or "", f"{prefix}-title": criterion["title"]}
        data |= {f"{prefix}-title_ru": "", f"{prefix}-title_en": ""}
        if criterion.get("delete"):
            data[f"{prefix}-DELETE"] = "on"
        levels = criterion["levels"]
        data |= management(f"c{index}-levels", levels)
        for number, level in enumerate(levels):
            prefix = f"c{index}-levels-{number}"
            data |= {
                f"{prefix}-id": level.get("pk") or "",
                f"{prefix}-title": level["title"],
                f"{prefix}-min_percent": str(level["min"]),
                f"{prefix}-max_percent": str(level["max"]),
                f"{prefix}-descriptor": level.get("descriptor", ""),
            }
            if level.get("delete"):
                data[f"{prefix}-DELETE"] = "on"
    return data


def management(prefix, rows):
    return {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for row in rows if row.get("pk"))),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


THREE_LEVELS = [
    {"title": "Жоғары", "min": 7, "max": 10, "descriptor": "Толық орындалған."},
    {"title": "Орта", "min": 4, "max": 7},
    {"title": "Төмен", "min": 0, "max": 4},
]
TWO_BY_THREE = [{"title": "Мазмұны", "levels": THREE_LEVELS}, {"title": "Рәсімделуі", "levels": THREE_LEVELS}]


def counts():
    return Rubric.objects.count(), Criterion.objects.count(), Level.objects.count()


# Who reaches the editor -----------------------------------------------------------------------


def view_urls(cast, rubric):
    task = cast.tasks["СОӨЖ 1"]
    return [
        ("get", reverse("grading:rubric_list")),
        ("get", reverse("grading:rubric_detail", args=[rubric.pk])),
        ("get", reverse("grading:rubric_create")),
        ("get", reverse("grading:rubric_edit", args=[rubric.pk])),
        ("post", reverse("grading:rubric_copy", args=[rubric.pk])),
        ("post", reverse("grading:task_rubric", args=[cast.course.pk, task.pk])),
    ]


def test_anonymous_people_are_sent_to_sign_in_from_every_rubric_page(client, cast, own):
    for method, url in view_urls(cast, own):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_students_are_refused_every_rubric_page(login, cast, own):
    client = login(cast.student)
    for method, url in view_urls(cast, own):
        assert getattr(client, method)(url).status_code == 403, url
    assert Rubric.objects.count() == 2


def test_another_departments_instructor_does_not_find_this_departments_rubric(login, cast, own):
    client = login(cast.other_instructor)
    assert client.get(reverse("grading:rubric_detail", args=[own.pk])).status_code == 404
    assert client.get(reverse("grading:rubric_edit", args=[own.pk])).status_code == 404
    assert (
        client.post(reverse("grading:rubric_edit", args=[own.pk]), editor_post("Басқа", TWO_BY_THREE)).status_code
        == 404
    )
    assert client.post(reverse("grading:rubric_copy", args=[own.pk])).status_code == 404
    assert table(own) == table(Rubric.objects.get(pk=own.pk)) and own.title == "Біздің рубрика"


def test_a_shared_rubric_is_not_edited_but_may_be_read(login, cast, seed):
    client = login(cast.instructor)
    assert client.get(reverse("grading:rubric_edit", args=[seed.pk])).status_code == 404
    assert client.get(reverse("grading:rubric_detail", args=[seed.pk])).status_code == 200


def test_the_department_admin_edits_the_departments_rubrics(login, cast, own):
    assert login(cast.dept_admin).get(reverse("grading:rubric_edit", args=[own.pk])).status_code == 200


def test_only_the_courses_instructor_attaches_a_rubric_to_its_task(login, cast, own):
    url = reverse("grading:task_rubric", args=[cast.course.pk, cast.tasks["СОӨЖ 1"].pk])
    assert login(cast.other_instructor).post(url, {"rubric": own.pk}).status_code == 404
    assert login(cast.dept_admin).post(url, {"rubric": own.pk}).status_code == 403
    assert cast.tasks["СОӨЖ 1"].__class__.objects.get(pk=cast.tasks["СОӨЖ 1"].pk).rubric is None


def test_copy_and_attach_take_only_posts(login, cast, seed):
    client = login(cast.instructor)
    assert client.get(reverse("grading:rubric_copy", args=[seed.pk])).status_code == 405
    task = cast.tasks["СОӨЖ 1"]
    assert client.get(reverse("grading:task_rubric", args=[cast.course.pk, task.pk])).status_code == 405


# The list ----------------------------------------------------------------------------------------


def test_the_list_shows_own_and_shared_rubrics_with_their_size_and_maximum(login, cast, seed, own, foreign):
    html = english(login(cast.instructor)).get(reverse("grading:rubric_list")).content.decode()
    assert f'data-rubric="{seed.pk}"' in html and f'data-rubric="{own.pk}"' in html
    assert f'data-rubric="{foreign.pk}"' not in html
    assert "125%" in html and "Shared by every department" in html
    assert reverse("grading:rubric_edit", args=[own.pk]) in html
    assert reverse("grading:rubric_edit", args=[seed.pk]) not in html
    assert reverse("grading:rubric_copy", args=[seed.pk]) in html
    # The department's own rubric comes before the shared one.
    assert html.index(f'data-rubric="{own.pk}"') < html.index(f'data-rubric="{seed.pk}"')


@pytest.mark.parametrize("size", [1, 6])
def test_the_list_uses_a_fixed_number_of_queries(login, cast, seed, django_assert_max_num_queries, size):
    for number in range(size):
        rubric_copy(rubric=seed, department=cast.department, user=cast.instructor, title=f"Көшірме {number}")
    client = login(cast.instructor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("grading:rubric_list"))
    assert response.content.decode().count("data-rubric=") == size + 1


def test_instructors_and_department_admins_find_the_rubrics_in_the_menu(login, cast):
    link = f'href="{reverse("grading:rubric_list")}"'
    assert link in login(cast.instructor).get(reverse("grading:instructor_home")).content.decode()
    assert link in login(cast.dept_admin).get(reverse("grading:department_home")).content.decode()
    assert link not in login(cast.student).get(reverse("grading:student_home")).content.decode()


# The detail page ---------------------------------------------------------------------------------


def test_the_seed_rubric_explains_its_125_percent_and_its_shared_edges(login, cast, seed):
    html = english(login(cast.instructor)).get(reverse("grading:rubric_detail", args=[seed.pk])).content.decode()
    assert "The criteria&#x27;s maxima add up to 125%, not 100%." in html
    assert "task points = max points × rubric sum ÷ 125, rounded to 0.1" in html
    assert "Levels share the edges 10%, 15%, 20% in every criterion: an edge value belongs to the higher level." in html
    assert "Written essay task: criteria for assessing learning outcomes" in html
    assert "Understanding of the topic" in html and "20–25%" in html
    # The holistic scale's bands.
    assert "90–100%" in html and "Originality at least 80%" in html


def test_the_detail_page_speaks_the_readers_language(login, cast, seed):
    html = login(cast.instructor).get(reverse("grading:rubric_detail", args=[seed.pk])).content.decode()
    assert "Тақырыпты түсінуі" in html and "Өте жақсы" in html


def test_a_rubric_without_problems_says_so_and_a_gap_is_explained(login, cast):
    client = english(login(cast.instructor))
    client.post(
        reverse("grading:rubric_create"),
        editor_post(
            "Толық",
            [
                {
                    "title": "Бір",
                    "levels": [
                        {"title": "Жоғары", "min": 50, "max": 100},
                        {"title": "Төмен", "min": 0, "max": 40},
                    ],
                }
            ],
        ),
    )
    rubric = Rubric.objects.get(title="Толық")
    html = client.get(reverse("grading:rubric_detail", args=[rubric.pk])).content.decode()
    assert "No level of “Бір” covers the points between 40% and 50%: they cannot be given." in html
    assert "add up to" not in html


def test_an_edge_and_an_overlap_in_single_criteria_are_named(login, cast):
    client = english(login(cast.instructor))
    criteria = [
        {
            "title": "Бір",
            "levels": [{"title": "Жоғары", "min": 10, "max": 20}, {"title": "Төмен", "min": 0, "max": 10}],
        },
        {
            "title": "Екі",
            "levels": [{"title": "Жоғары", "min": 10, "max": 20}, {"title": "Төмен", "min": 0, "max": 12}],
        },
    ]
    client.post(reverse("grading:rubric_create"), editor_post("Аралас", criteria))
    rubric = Rubric.objects.get(title="Аралас")
    html = client.get(reverse("grading:rubric_detail", args=[rubric.pk])).content.decode()
    assert "add up to 40%, not 100%" in html
    assert "Levels of “Бір” share the edge 10%: an edge value belongs to the higher level." in html
    assert "Levels of “Екі” overlap from 10% to 12%: a value there belongs to the higher level." in html


# Creating and editing ----------------------------------------------------------------------------


def test_the_new_rubric_page_offers_blank_rows_for_work_without_javascript(login, cast):
    html = login(cast.instructor).get(reverse("grading:rubric_create")).content.decode()
    assert 'name="criteria-TOTAL_FORMS" value="2"' in html
    assert 'name="c0-levels-TOTAL_FORMS" value="3"' in html and 'name="c1-levels-TOTAL_FORMS" value="3"' in html
    assert 'id="criterion-template"' in html and "rubric_editor.js" in html


def test_an_instructor_creates_a_rubric_of_two_criteria_with_three_levels_each(login, cast):
    client = login(cast.instructor)
    response = client.post(reverse("grading:rubric_create"), editor_post("Жоба рубрикасы", TWO_BY_THREE))
    rubric = Rubric.objects.get(title="Жоба рубрикасы")
    assert response.status_code == 302 and response.url == reverse("grading:rubric_detail", args=[rubric.pk])
    assert rubric.department == cast.department and rubric.created_by == cast.instructor
    levels = [("Жоғары", Decimal(7), Decimal(10)), ("Орта", Decimal(4), Decimal(7)), ("Төмен", Decimal(0), Decimal(4))]
    assert table(rubric) == [("Мазмұны", levels), ("Рәсімделуі", levels)]
    assert [c.position for c in rubric.criteria.all()] == [1, 2]
    assert Level.objects.get(criterion__rubric=rubric, criterion__position=1, position=1).descriptor == (
        "Толық орындалған."
    )
    assert any("was saved" in text or "сақталды" in text for text in texts(response))


def test_blank_rows_are_left_out(login, cast):
    criteria = [*TWO_BY_THREE, {"title": "", "levels": [{"title": "", "min": "", "max": ""}] * 3}]
    criteria[0] = {**criteria[0], "levels": [*THREE_LEVELS, {"title": "", "min": "", "max": ""}]}
    login(cast.instructor).post(reverse("grading:rubric_create"), editor_post("Бос жолдар", criteria))
    assert [len(levels) for _, levels in table(Rubric.objects.get(title="Бос жолдар"))] == [3, 3]


def test_an_edit_changes_a_range_and_adds_a_level(login, cast):
    client = login(cast.instructor)
    client.post(reverse("grading:rubric_create"), editor_post("Жоба", TWO_BY_THREE))
    rubric = Rubric.objects.get(title="Жоба")
    rows = rows_of(rubric)
    rows[0]["levels"][0]["min"] = "8"
    rows[1]["levels"].append({"title": "Жоқ", "min": "0", "max": "0"})
    response = client.post(reverse("grading:rubric_edit", args=[rubric.pk]), editor_post("Жоба (2)", rows))
    assert response.status_code == 302
    rubric.refresh_from_db()
    first, second = table(rubric)
    assert rubric.title == "Жоба (2)"
    assert first[1][0] == ("Жоғары", Decimal(8), Decimal(10))
    assert [level[0] for level in second[1]] == ["Жоғары", "Орта", "Төмен", "Жоқ"]
    # The existing rows were updated in place, not replaced.
    assert rubric.criteria.first().pk == rows[0]["pk"]


def test_an_edit_removes_a_level_and_a_criterion(login, cast):
    client = login(cast.instructor)
    client.post(reverse("grading:rubric_create"), editor_post("Жоба", [*TWO_BY_THREE, TWO_BY_THREE[0]]))
    rubric = Rubric.objects.get(title="Жоба")
    rows = rows_of(rubric)
    rows[0]["levels"][2]["delete"] = True
    rows[2]["delete"] = True
    client.post(reverse("grading:rubric_edit", args=[rubric.pk]), editor_post("Жоба", rows))
    assert [len(levels) for _, levels in table(rubric)] == [2, 3]


@pytest.mark.parametrize(
    ("criteria", "field_error"),
    [
        (  # from above to
            [{"title": "Мазмұны", "levels": [{"title": "Жоғары", "min": 9, "max": 5}, THREE_LEVELS[2]]}],
            "“To %” must not be below “from %”.",
        ),
        (  # a criterion with one level
            [TWO_BY_THREE[0], {"title": "Рәсімделуі", "levels": THREE_LEVELS[:1]}],
            "Give this criterion at least two levels.",
        ),
        ([], "Add at least one criterion."),
        (  # an untitled level
            [{"title": "Мазмұны", "levels": [{"title": "", "min": 5, "max": 10}, THREE_LEVELS[2]]}],
            "This field is required.",
        ),
        (  # beyond 100
            [{"title": "Мазмұны", "levels": [{"title": "Жоғары", "min": 50, "max": 120}, THREE_LEVELS[2]]}],
            "Ensure this value is less than or equal to 100.",
        ),
        (  # levels under a criterion without a title
            [{"title": "", "levels": THREE_LEVELS}],
            "Give this criterion a title, or clear its levels.",
        ),
    ],
)
def test_invalid_input_is_answered_next_to_the_field_and_nothing_is_saved(login, cast, criteria, field_error):
    client = english(login(cast.instructor))
    before = counts()
    response = client.post(reverse("grading:rubric_create"), editor_post("Қате", criteria))
    assert response.status_code == 200
    assert counts() == before
    html = response.content.decode().replace("&#x27;", "'")
    assert field_error in html
    assert 'id="error-summary"' in html
    assert "The rubric was not saved: correct what is marked below." in texts(response)


def test_an_invalid_edit_leaves_the_rubric_as_it_was(login, cast, own):
    client = english(login(cast.instructor))
    before = table(own)
    rows = rows_of(own)
    rows[0]["levels"][0]["max"] = "5"  # below its from (20)
    rows[1]["levels"][1]["delete"] = True
    response = client.post(reverse("grading:rubric_edit", args=[own.pk]), editor_post("Өзгерген", rows))
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.title == "Біздің рубрика" and table(own) == before


def test_the_editor_refuses_rows_of_another_rubric(login, cast, own, foreign):
    client = login(cast.instructor)
    rows = rows_of(own)
    rows[0]["pk"] = foreign.criteria.first().pk
    response = client.post(reverse("grading:rubric_edit", args=[own.pk]), editor_post("Біздің рубрика", rows))
    assert response.status_code == 200
    assert table(foreign) == table(Rubric.objects.get(pk=foreign.pk))
    assert foreign.criteria.first().title == "Тақырыпты түсінуі"


def test_a_save_over_someone_elses_newer_save_is_refused(login, cast, own):
    client = english(login(cast.instructor))
    seen = own.updated_at.isoformat()
    rows = rows_of(own)
    client.post(
        reverse("grading:rubric_edit", args=[own.pk]), editor_post("Бірінші", rows) | {"rubric-seen_updated_at": seen}
    )
    response = client.post(
        reverse("grading:rubric_edit", args=[own.pk]), editor_post("Екінші", rows) | {"rubric-seen_updated_at": seen}
    )
    assert response.status_code == 200
    assert any("Someone else saved this rubric" in text for text in texts(response))
    own.refresh_from_db()
    assert own.title == "Бірінші"


def test_the_edit_page_carries_when_the_rubric_was_saved(login, cast, own):
    html = login(cast.instructor).get(reverse("grading:rubric_edit", args=[own.pk])).content.decode()
    assert f'name="rubric-seen_updated_at" value="{own.updated_at.isoformat()}"' in html


def test_a_rubric_with_grades_is_read_only_and_suggests_a_copy(login, cast, own):
    task = cast.tasks["СОӨЖ 1"]
    task.rubric, task.max_points = own, Decimal(20)
    task.save()
    version = hand_in(task, cast.student)
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(own, GOOD_PICKS))
    client = english(login(cast.instructor))
    response = client.get(reverse("grading:rubric_edit", args=[own.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "This rubric is read-only" in html and 'id="rubric-editor"' not in html
    assert reverse("grading:rubric_copy", args=[own.pk]) in html
    assert any("Make a copy" in text for text in texts(response))

    before = table(own)
    rows = rows_of(own)
    rows[0]["levels"][0]["min"] = "21"
    client.post(reverse("grading:rubric_edit", args=[own.pk]), editor_post("Біздің рубрика", rows))
    assert table(own) == before


# Copying and attaching ---------------------------------------------------------------------------


def test_copying_the_seed_rubric_gives_the_department_its_own_editable_rubric(login, cast, seed):
    response = login(cast.instructor).post(reverse("grading:rubric_copy", args=[seed.pk]))
    copy = Rubric.objects.exclude(pk=seed.pk).get()
    assert response.url == reverse("grading:rubric_edit", args=[copy.pk])
    assert copy.department == cast.department and copy.created_by == cast.instructor
    # Its own copy of the holistic scale, with the same bands, so the department can set its own band rules.
    assert copy.holistic_scale_id != seed.holistic_scale_id and copy.holistic_scale.department == cast.department
    assert [
        (b.label, b.min_percent, b.max_percent, b.originality_min, b.timeliness)
        for b in copy.holistic_scale.bands.all()
    ] == [
        (b.label, b.min_percent, b.max_percent, b.originality_min, b.timeliness)
        for b in seed.holistic_scale.bands.all()
    ]
    assert table(copy) == table(seed)
    assert Criterion.objects.filter(rubric=copy).count() == 5
    assert Level.objects.filter(criterion__rubric=copy).count() == 20
    assert set(Level.objects.filter(criterion__rubric=seed).values_list("pk", flat=True)).isdisjoint(
        Level.objects.filter(criterion__rubric=copy).values_list("pk", flat=True)
    )


def test_an_instructor_attaches_a_rubric_to_a_task_and_detaches_it(login, cast, seed, own):
    task = cast.tasks["СОӨЖ 1"]
    client = english(login(cast.instructor))
    url = reverse("grading:task_rubric", args=[cast.course.pk, task.pk])
    queue = reverse("grading:queue", args=[cast.course.pk, task.pk])

    response = client.post(url, {"rubric": own.pk})
    assert response.url == queue
    task.refresh_from_db()
    assert task.rubric == own
    html = client.get(queue).content.decode()
    assert f'<option value="{own.pk}" selected>' in html
    assert reverse("grading:rubric_detail", args=[own.pk]) in html

    client.post(url, {"rubric": ""})
    task.refresh_from_db()
    assert task.rubric is None
    assert "No rubric: points are entered directly." in client.get(queue).content.decode()
    # Both changes are in the task's log, as the task editor shows it.
    changes = list(task.changes.order_by("pk").values_list("kind", "old_value", "new_value", "changed_by"))
    assert changes == [("rubric", "", str(own.pk), cast.instructor.pk), ("rubric", str(own.pk), "", cast.instructor.pk)]


def test_the_queues_rubric_card_keeps_the_queue_within_its_query_budget(
    login, cast, seed, own, django_assert_max_num_queries
):
    for number in range(5):
        rubric_copy(rubric=seed, department=cast.department, user=cast.instructor, title=f"Көшірме {number}")
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = own
    task.save()
    client = login(cast.instructor)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("grading:queue", args=[cast.course.pk, task.pk])).content.decode()
    select = html[html.index('id="task-rubric"') :].split("</select>")[0]
    assert select.count("<option value=") == 1 + 7  # "no rubric", then the seed and six of the department's
    assert f'<option value="{own.pk}" selected>' in select


def test_a_rubric_of_another_department_cannot_be_attached(login, cast, foreign):
    task = cast.tasks["СОӨЖ 1"]
    response = english(login(cast.instructor)).post(
        reverse("grading:task_rubric", args=[cast.course.pk, task.pk]), {"rubric": foreign.pk}
    )
    task.refresh_from_db()
    assert task.rubric is None
    assert "Choose one of the rubrics in the list." in texts(response)


def test_an_instructor_without_a_department_cannot_create_rubrics(login, cast):
    loner = make_user("loner", "instructor", None)
    client = login(loner)
    assert client.post(reverse("grading:rubric_create"), editor_post("Жоба", TWO_BY_THREE)).status_code == 403
    assert not Rubric.objects.exists()


# Weight notes and examples -----------------------------------------------------------------------


def test_the_seed_rubrics_detail_page_shows_its_weight_note(login, cast, seed):
    client = login(cast.instructor)
    html = client.get(reverse("grading:rubric_detail", args=[seed.pk])).content.decode()
    assert "АБ 100%-дың 25%" in html and "data-weight-note" in html
    html = english(client).get(reverse("grading:rubric_detail", args=[seed.pk])).content.decode()
    assert "Weight: 25% of the АБ (100%)" in html
    assert "rubric-example-badge" not in html


def test_the_list_shows_weight_notes_and_marks_the_examples_after_the_shared_rubric(login, cast, seed, examples):
    html = english(login(cast.instructor)).get(reverse("grading:rubric_list")).content.decode()
    assert "Weight: 25% of the АБ (100%)" in html
    assert html.count("rubric-example-badge") == 4
    assert html.count("Example shipped with the portal, not from the course document") == 4
    for rubric in examples.values():
        assert html.index(f'data-rubric="{seed.pk}"') < html.index(f'data-rubric="{rubric.pk}"')
        assert reverse("grading:rubric_copy", args=[rubric.pk]) in html
        assert reverse("grading:rubric_edit", args=[rubric.pk]) not in html


def test_an_example_rubrics_page_says_it_is_an_example_not_the_course_documents(login, cast, examples):
    rubric = examples["case_plan"]
    client = english(login(cast.instructor))
    html = client.get(reverse("grading:rubric_detail", args=[rubric.pk])).content.decode()
    assert "rubric-example-badge" in html and ">Example<" in html
    assert "An example rubric shipped with the portal, not a rubric of the course document." in html
    assert "Individual work plan (case plan): assessment criteria" in html and "Defence" in html
    assert "Weight:" not in html
    # Its criteria weigh 10–20% and share different edges: one sentence for all, not one per group of criteria.
    assert "Neighbouring levels share their edges: an edge value belongs to the higher level." in html
    assert "Levels of “" not in html and "add up to" not in html


def test_the_list_of_rubrics_with_the_examples_stays_within_its_query_budget(
    login, cast, seed, examples, django_assert_max_num_queries
):
    client = login(cast.instructor)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("grading:rubric_list"))
    assert response.content.decode().count("data-rubric=") == 5


def test_copying_an_example_gives_the_department_a_rubric_that_is_not_an_example(login, cast, examples):
    example = examples["assessment_toolkit"]
    response = login(cast.instructor).post(reverse("grading:rubric_copy", args=[example.pk]))
    copy = Rubric.objects.get(department=cast.department)
    assert response.url == reverse("grading:rubric_edit", args=[copy.pk])
    assert not copy.is_example and Rubric.objects.get(pk=example.pk).is_example
    assert [c.title for c in copy.criteria.all()] == [c.title for c in example.criteria.all()]
    html = english(login(cast.instructor)).get(reverse("grading:rubric_detail", args=[copy.pk])).content.decode()
    assert "rubric-example-badge" not in html


def test_the_editor_writes_the_weight_note_in_three_languages(login, cast, own):
    client = login(cast.instructor)
    html = client.get(reverse("grading:rubric_edit", args=[own.pk])).content.decode()
    assert 'name="rubric-weight_note" value="АБ 100%-дың 25%"' in html
    assert 'name="rubric-weight_note_en"' in html and 'aria-describedby="weight-note-help"' in html
    notes = {
        "rubric-weight_note": "АБ 100%-дың 20%",
        "rubric-weight_note_ru": "20% от АБ 100%",
        "rubric-weight_note_en": "20% of the АБ (100%)",
    }
    response = client.post(
        reverse("grading:rubric_edit", args=[own.pk]), editor_post("Біздің рубрика", rows_of(own)) | notes
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.weight_note, own.weight_note_ru, own.weight_note_en) == tuple(notes.values())
    html = english(client).get(reverse("grading:rubric_detail", args=[own.pk])).content.decode()
    assert "Weight: 20% of the АБ (100%)" in html


def test_a_rubric_may_have_no_weight_note(login, cast):
    login(cast.instructor).post(reverse("grading:rubric_create"), editor_post("Салмақсыз", TWO_BY_THREE))
    rubric = Rubric.objects.get(title="Салмақсыз")
    assert (rubric.weight_note, rubric.weight_note_ru, rubric.weight_note_en) == ("", "", "")
    html = english(login(cast.instructor)).get(reverse("grading:rubric_detail", args=[rubric.pk])).content.decode()
    assert "data-weight-note" not in html
