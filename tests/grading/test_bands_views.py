"""A department's band rules: the ranges, originality thresholds and timeliness of its rubric's holistic bands."""

from decimal import Decimal

import pytest
from django.urls import reverse

from grading.models import HolisticBand
from grading.services.rubrics import rubric_copy
from tests.grading.conftest import FULL_MARKS, grade_of, hand_in, scores_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(cast, rubric):
    """The department's copy of the seed rubric."""
    return rubric_copy(rubric=rubric, department=cast.department, user=cast.instructor)


def url(rubric):
    return reverse("grading:rubric_bands", args=[rubric.pk])


def posted(rubric, changes):
    """The form's data for every band as it stands, with ``changes`` ({position: {field: value}}) applied."""
    data = {}
    for band in rubric.holistic_scale.bands.all():
        values = {
            "min_percent": band.min_percent,
            "max_percent": band.max_percent,
            "originality_min": "" if band.originality_min is None else band.originality_min,
            "timeliness": band.timeliness,
            **changes.get(band.position, {}),
        }
        data.update({f"band-{band.position}-{name}": value for name, value in values.items()})
    return data


# Access first ---------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, own):
    response = client.get(url(own))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_students_are_refused(login, cast, own):
    assert login(cast.student).get(url(own)).status_code == 403


@pytest.mark.parametrize("who", ["other_instructor", "other_dept_admin"])
def test_another_departments_staff_do_not_find_it(login, cast, own, who):
    assert login(getattr(cast, who)).get(url(own)).status_code == 404


def test_the_shared_seed_rubric_is_copied_not_edited(login, cast, rubric):
    assert login(cast.instructor).get(url(rubric)).status_code == 404


# What it does ---------------------------------------------------------------------------------------------------


def test_a_copy_of_a_rubric_gets_the_departments_own_scale(cast, rubric, own):
    assert own.holistic_scale_id != rubric.holistic_scale_id and own.holistic_scale.department == cast.department
    assert own.holistic_scale.bands.count() == rubric.holistic_scale.bands.count() == 5


def test_the_department_sets_its_thresholds_and_grades_follow_them(login, cast, rubric, own, essay):
    response = login(cast.dept_admin).post(url(own), posted(own, {1: {"originality_min": "90"}}))
    assert response.status_code == 302
    assert own.holistic_scale.bands.get(position=1).originality_min == Decimal(90)
    assert rubric.holistic_scale.bands.get(position=1).originality_min == Decimal(80)  # the seed's stays
    essay.rubric = own
    essay.save()
    grade = grade_of(
        hand_in(essay, cast.student),
        grader=cast.instructor,
        scores=scores_for(own, FULL_MARKS),
        originality_percent=Decimal(85),
    )
    assert grade.percent == Decimal(89)  # 85% no longer reaches 90–100: offered 70–89


def test_a_band_whose_bounds_cross_is_refused_and_nothing_is_saved(login, cast, own):
    client = login(cast.instructor)
    data = posted(own, {1: {"originality_min": "85"}, 2: {"min_percent": "95"}})
    response = client.post(url(own), data, follow=True)
    assert "төменгі шегі жоғарғы шегінен үлкен" in response.content.decode()
    assert own.holistic_scale.bands.get(position=1).originality_min == Decimal(80)


def test_a_department_rubric_on_the_shared_scale_gets_its_own_copy_when_saved(login, cast, rubric, own):
    own.holistic_scale = rubric.holistic_scale
    own.save()
    login(cast.instructor).post(url(own), posted(own, {3: {"timeliness": ""}}))
    own.refresh_from_db()
    assert own.holistic_scale.department == cast.department
    assert own.holistic_scale.bands.get(position=3).timeliness == ""
    assert HolisticBand.objects.get(scale=rubric.holistic_scale, position=3).timeliness == "late"
