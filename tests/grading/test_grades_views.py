"""Grading (grading/views/grades.py): who may grade and release, then the grading page's saving, releasing and stale
warning, releasing one grade or a whole task, and what students see."""

from decimal import Decimal

import pytest
from django.urls import reverse

from coursework.models import Enrollment
from grading.models import Grade
from grading.services.grades import grade_save
from tests.conftest import make_user
from tests.grading.conftest import GOOD_PICKS, hand_in, scores_for

pytestmark = pytest.mark.django_db


def grade_url(version):
    return reverse("grading:grade", args=[version.submission_id])


def form_data(rubric, picks=GOOD_PICKS, lock=0, action="save", **extra):
    data = {"lock_version": lock, "action": action, "feedback": "Жалпы пікір.", **extra}
    for score in scores_for(rubric, picks):
        prefix = f"c{score['criterion'].pk}"
        data.update(
            {
                f"{prefix}-level": score["level"].pk,
                f"{prefix}-points": score["points"],
                f"{prefix}-comment": score["comment"],
            }
        )
    return data


@pytest.fixture
def draft_grade(cast, rubric, version):
    """The student's essay graded on the seed rubric (15.2 of 20), not released yet."""
    scores = scores_for(rubric, GOOD_PICKS)
    return grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores)


def release_url(grade):
    return reverse("grading:release", args=[grade.pk])


def release_all_url(task):
    return reverse("grading:task_release_all", args=[task.course_id, task.pk])


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, version):
    response = client.get(grade_url(version))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(("who", "status"), [("student", 403), ("classmate", 403), ("dept_admin", 403)])
def test_students_and_department_admins_do_not_grade(login, cast, version, who, status):
    assert login(getattr(cast, who)).get(grade_url(version)).status_code == status


def test_another_courses_instructor_gets_404(login, cast, version):
    assert login(cast.other_instructor).get(grade_url(version)).status_code == 404


def test_an_instructor_of_the_department_who_does_not_teach_the_course_gets_404(login, cast, version):
    colleague = make_user("colleague", "instructor", cast.department)
    assert login(colleague).get(grade_url(version)).status_code == 404


def test_a_student_cannot_post_a_grade(login, cast, rubric, version):
    assert login(cast.student).post(grade_url(version), form_data(rubric)).status_code == 403
    assert not Grade.objects.exists()


def test_anonymous_visitors_release_nothing(client, essay, draft_grade):
    for url in (release_url(draft_grade), release_all_url(essay)):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert not Grade.objects.get().is_released


@pytest.mark.parametrize(
    ("who", "status"),
    [("student", 403), ("classmate", 403), ("dept_admin", 403), ("other_instructor", 404), ("other_dept_admin", 403)],
)
def test_only_the_courses_instructor_releases_a_grade_or_a_task(login, cast, essay, draft_grade, who, status):
    client = login(getattr(cast, who))
    assert client.post(release_url(draft_grade)).status_code == status
    assert client.post(release_all_url(essay)).status_code == status
    assert not Grade.objects.get().is_released


def test_releasing_answers_only_post(login, cast, essay, draft_grade):
    client = login(cast.instructor)
    assert client.get(release_url(draft_grade)).status_code == 405
    assert client.get(release_all_url(essay)).status_code == 405
    assert not Grade.objects.get().is_released


# Behaviour ----------------------------------------------------------------------------------


def test_the_page_shows_the_work_the_rubric_and_the_scaling_rule(login, cast, version):
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert "Тақырыпты түсінуі" in html and "Өте жақсы" in html
    assert 'class="text-preview"' in html  # the docx is shown as text beside the form
    assert "125" in html  # the rubric maximum, with the rule that scales it
    assert 'id="grading-data"' in html


def test_saving_keeps_a_draft_the_student_does_not_see(login, cast, rubric, essay, version):
    response = login(cast.instructor).post(grade_url(version), form_data(rubric), follow=True)
    assert response.status_code == 200
    grade = Grade.objects.get()
    assert grade.state == Grade.State.DRAFT and grade.points == Decimal("15.2")
    student_page = login(cast.student).get(reverse("grading:task_detail", args=[essay.course_id, essay.pk]))
    assert "released-grade" not in student_page.content.decode()
    assert login(cast.student).get(reverse("grading:feedback_pdf", args=[grade.pk])).status_code == 404


def test_save_and_release_shows_the_student_each_criterion(login, cast, rubric, essay, version):
    login(cast.instructor).post(grade_url(version), form_data(rubric, action="release"))
    assert Grade.objects.get().is_released
    html = login(cast.student).get(reverse("grading:task_detail", args=[essay.course_id, essay.pk])).content
    html = html.decode()
    assert "released-grade" in html
    assert "15,2" in html  # points, Kazakh decimal comma
    assert "Қорытынды әлсіз." in html and "Қанағаттанарлық" in html
    assert "Жалпы пікір." in html


def test_invalid_scores_are_answered_in_the_page_and_nothing_saved(login, cast, rubric, version):
    picks = [("Жақсы", "20", ""), *GOOD_PICKS[1:]]
    response = login(cast.instructor).post(grade_url(version), form_data(rubric, picks=picks))
    assert response.status_code == 200
    assert "alert alert-danger" in response.content.decode()
    assert not Grade.objects.exists()


def test_a_stale_save_shows_the_other_graders_values(login, cast, rubric, version):
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(rubric, GOOD_PICKS))
    response = login(cast.instructor).post(
        grade_url(version), form_data(rubric, picks=[("Өте жақсы", "25", "")] * 5, lock=0)
    )
    html = response.content.decode()
    assert "stale-warning" in html
    assert "15.2" in html  # the saved points, shown to the second grader
    assert Grade.objects.get().points == Decimal("15.2")


def test_releasing_one_grade_shows_it_to_the_student(login, cast, essay, draft_grade):
    response = login(cast.instructor).post(release_url(draft_grade))
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:grade", args=[draft_grade.submission_id])
    assert Grade.objects.get().is_released
    html = login(cast.student).get(reverse("grading:task_detail", args=[essay.course_id, essay.pk])).content.decode()
    assert "released-grade" in html


def test_release_all_from_the_queue(login, cast, rubric, essay, version):
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(rubric, GOOD_PICKS))
    login(cast.instructor).post(reverse("grading:task_release_all", args=[essay.course_id, essay.pk]))
    assert Grade.objects.get().is_released


def test_the_queue_offers_next_and_previous(login, cast, essay, version):
    other = hand_in(essay, cast.classmate)
    html = login(cast.instructor).get(grade_url(version)).content.decode()
    assert reverse("grading:grade", args=[other.submission_id]) in html


@pytest.mark.parametrize("size", [5, 30])
def test_the_grading_page_uses_a_fixed_number_of_queries(
    login, cast, essay, version, django_assert_max_num_queries, size
):
    for number in range(size):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        hand_in(essay, student)
    client = login(cast.instructor)
    with django_assert_max_num_queries(25):
        assert client.get(grade_url(version)).status_code == 200
