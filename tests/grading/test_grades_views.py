"""Grading (grading/views/grades.py): who may grade and release, then the grading page's saving, releasing and stale
warning, releasing one grade or a whole task, and what students see."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coursework.models import Enrollment
from grading.models import Grade, GradebookLock, LockedChange
from grading.services.grades import grade_release, grade_save
from tests.conftest import make_user
from tests.grading.conftest import FULL_MARKS, GOOD_PICKS, gettext_kk, hand_in, hand_in_work, scores_for, text_of

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


def task_page(client, task):
    return client.get(reverse("grading:task_detail", args=[task.course_id, task.pk])).content.decode()


def released_card(html):
    start = html.index("released-grade")
    return html[start : html.index("</section>", start)]


def last_message(response):
    """The message the last request left (earlier ones wait unread when a test does not follow redirects)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


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


def test_releasing_answers_only_post_and_release_all_first_asks(login, cast, essay, draft_grade):
    client = login(cast.instructor)
    assert client.get(release_url(draft_grade)).status_code == 405
    assert client.get(release_all_url(essay)).status_code == 200  # the confirmation page
    assert client.post(release_all_url(essay)).status_code == 200  # no confirmation: asked again
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


def fieldset_of(html, criterion):
    """The HTML of one criterion's fieldset on the grading page."""
    start = html.index(f'data-criterion="{criterion.pk}"')
    return html[start : html.index("</fieldset>", start)]


def test_a_refused_score_is_answered_beside_its_criterion_and_nothing_saved(login, cast, rubric, version):
    picks = [("Жақсы", "20", ""), *GOOD_PICKS[1:]]  # 20 is on the edge: it belongs to "Өте жақсы"
    response = login(cast.instructor).post(grade_url(version), form_data(rubric, picks=picks))
    assert response.status_code == 200
    html = response.content.decode()
    first, second = rubric.criteria.order_by("position")[:2]
    own = fieldset_of(html, first)
    assert "criterion-points is-invalid" in own
    assert re.search(r'class="invalid-feedback">[^<]*Өте жақсы', own)
    assert "is-invalid" not in fieldset_of(html, second)
    assert not Grade.objects.exists()


def test_points_out_of_range_are_answered_beside_their_field(login, cast, rubric, version):
    data = form_data(rubric)
    first = rubric.criteria.order_by("position").first()
    data[f"c{first.pk}-points"] = "130"
    html = login(cast.instructor).post(grade_url(version), data).content.decode()
    own = fieldset_of(html, first)
    assert "criterion-points is-invalid" in own and 'class="invalid-feedback"' in own
    assert not Grade.objects.exists()


def test_a_stale_save_shows_the_other_graders_values(login, cast, rubric, version):
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(rubric, GOOD_PICKS))
    response = login(cast.instructor).post(
        grade_url(version), form_data(rubric, picks=[("Өте жақсы", "25", "")] * 5, lock=0)
    )
    html = response.content.decode()
    assert "stale-warning" in html
    assert "15,2" in html  # the saved points, shown to the second grader as Kazakh writes them
    assert Grade.objects.get().points == Decimal("15.2")


def test_releasing_one_grade_shows_it_to_the_student(login, cast, essay, draft_grade):
    response = login(cast.instructor).post(release_url(draft_grade))
    assert response.status_code == 302
    assert response["Location"] == reverse("grading:grade", args=[draft_grade.submission_id])
    assert Grade.objects.get().is_released
    html = login(cast.student).get(reverse("grading:task_detail", args=[essay.course_id, essay.pk])).content.decode()
    assert "released-grade" in html


def test_release_all_from_the_queue_confirms_with_the_number(login, cast, rubric, essay, version):
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(rubric, GOOD_PICKS))
    grade_save(
        version=hand_in(essay, cast.classmate),
        grader=cast.instructor,
        expected_lock_version=0,
        scores=scores_for(rubric, GOOD_PICKS),
    )
    client = login(cast.instructor)
    queue = client.get(reverse("grading:queue", args=[essay.course_id, essay.pk])).content.decode()
    assert (
        f'href="{release_all_url(essay)}"' in queue and 'method="post" action="' + release_all_url(essay) not in queue
    )
    page = client.get(release_all_url(essay)).content.decode()
    assert "Студенттерге 2 қаралама баға жариялансын ба?" in page  # "Release 2 draft grades to the students?"
    assert 'name="expected" value="2"' in page
    assert not Grade.objects.filter(state="released").exists()
    response = client.post(release_all_url(essay), {"expected": 2})
    assert response.status_code == 302
    assert Grade.objects.filter(state="released").count() == 2


def test_release_all_asks_again_when_the_number_changed(login, cast, rubric, essay, version):
    grade_save(version=version, grader=cast.instructor, expected_lock_version=0, scores=scores_for(rubric, GOOD_PICKS))
    response = login(cast.instructor).post(release_all_url(essay), {"expected": 3})
    assert response.status_code == 200
    html = response.content.decode()
    assert "alert-danger" in html and 'name="expected" value="1"' in html
    assert not Grade.objects.get().is_released


@pytest.fixture
def locked(cast):
    return GradebookLock.objects.create(course=cast.course, starts_at=timezone.now() - dt.timedelta(hours=1))


def test_release_all_in_a_locked_course_asks_the_reason_once_and_records_it_per_grade(
    login, cast, rubric, essay, version, locked
):
    for each in (version, hand_in(essay, cast.classmate)):
        scores = scores_for(rubric, GOOD_PICKS)
        grade_save(version=each, grader=cast.instructor, expected_lock_version=0, scores=scores, reason="Кеш")
    LockedChange.objects.all().delete()
    client = login(cast.instructor)
    page = client.get(release_all_url(essay)).content.decode()
    assert 'name="reason"' in page and page.count('name="reason"') == 1
    refused = client.post(release_all_url(essay), {"expected": 2, "reason": " "})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    assert not Grade.objects.filter(state="released").exists() and not LockedChange.objects.exists()
    client.post(release_all_url(essay), {"expected": 2, "reason": "Апелляция комиссиясының шешімі"})
    assert Grade.objects.filter(state="released").count() == 2
    assert list(LockedChange.objects.values_list("reason", flat=True)) == ["Апелляция комиссиясының шешімі"] * 2


def test_releasing_one_grade_in_a_locked_course_needs_the_reason(login, cast, essay, draft_grade, locked):
    client = login(cast.instructor)
    response = client.post(release_url(draft_grade))
    assert last_message(response) == gettext_kk(
        "The results of this course are locked. State the reason for this change."
    )
    assert not Grade.objects.get().is_released
    client.post(release_url(draft_grade), {"reason": "Апелляция"})
    assert Grade.objects.get().is_released
    assert LockedChange.objects.get().reason == "Апелляция"


def test_save_and_release_in_a_locked_course_records_both_moves_with_the_reason(login, cast, rubric, version, locked):
    client = login(cast.instructor)
    response = client.post(grade_url(version), form_data(rubric, action="release"))
    assert response.status_code == 200 and "is-invalid" in response.content.decode()  # the reason, beside its field
    assert not Grade.objects.exists()
    client.post(grade_url(version), form_data(rubric, action="release", reason="Апелляция"))
    assert Grade.objects.get().is_released
    assert LockedChange.objects.count() == 2  # the save and the release


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


# A released grade edited: the student keeps seeing what was released -------------------------------


def test_editing_a_released_grade_keeps_the_students_view_until_it_is_released_again(
    client, cast, rubric, essay, version
):
    client.force_login(cast.instructor)
    client.post(grade_url(version), form_data(rubric, action="release"))
    grade = Grade.objects.get()
    response = client.post(
        grade_url(version), form_data(rubric, picks=FULL_MARKS, lock=grade.lock_version, feedback="Жаңа пікір.")
    )
    assert last_message(response) == gettext_kk(
        "The grade was saved. The student still sees the released grade until you release again."
    )
    client.force_login(cast.student)
    card = released_card(task_page(client, essay))
    assert "15,2" in card and "Жалпы пікір." in card
    assert "20 / 20" not in card and "Жаңа пікір." not in card

    grade.refresh_from_db()
    client.force_login(cast.instructor)
    client.post(release_url(grade))
    client.force_login(cast.student)
    card = released_card(task_page(client, essay))
    assert "20 / 20" in card and "Жаңа пікір." in card


def test_the_grading_page_shows_what_was_released_beside_the_unreleased_change(login, cast, rubric, version):
    client = login(cast.instructor)
    client.post(grade_url(version), form_data(rubric, action="release"))
    grade = Grade.objects.get()
    client.post(grade_url(version), form_data(rubric, picks=FULL_MARKS, lock=grade.lock_version))
    html = client.get(grade_url(version)).content.decode()
    line = html[html.index("unreleased-change") : html.index("</div>", html.index("unreleased-change"))]
    assert "Жарияланғаны: 15,2 · жарияланбаған өзгеріс: 20." in line  # "Released: 15,2 · unreleased change: 20."


def test_a_draft_save_says_only_staff_see_it_and_an_unchanged_resave_says_so(login, cast, rubric, version):
    client = login(cast.instructor)
    response = client.post(grade_url(version), form_data(rubric))
    assert last_message(response) == gettext_kk("The grade was saved as a draft. Only staff can see it.")
    grade = Grade.objects.get()
    grade_release(grade=grade, by=cast.instructor, notify=False)
    grade.refresh_from_db()
    response = client.post(grade_url(version), form_data(rubric, lock=grade.lock_version))
    assert last_message(response) == gettext_kk(
        "The grade was saved. It is the same as the released grade the student sees."
    )


def test_the_students_feedback_pdf_is_the_released_one_and_the_staffs_the_working_one(client, cast, rubric, version):
    client.force_login(cast.instructor)
    client.post(grade_url(version), form_data(rubric, action="release"))
    grade = Grade.objects.get()
    client.post(grade_url(version), form_data(rubric, picks=FULL_MARKS, lock=grade.lock_version))
    url = reverse("grading:feedback_pdf", args=[grade.pk])
    staff = text_of(client.get(url).content)
    client.force_login(cast.student)
    own = text_of(client.get(url).content)
    assert "15,2 / 20" in own and "20 / 20" not in own
    assert "20 / 20" in staff and "Жарияланғаннан кейін өзгертілді".upper() in staff.upper()


# Numbers as the reader's language writes them -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "points", "wrong"), [("kk", "15,2", "15.2"), ("ru", "15,2", "15.2"), ("en", "15.2", "15,2")]
)
def test_the_grading_page_and_its_history_write_numbers_the_readers_way(
    login, cast, rubric, version, language, points, wrong
):
    client = login(cast.instructor)
    client.post(grade_url(version), form_data(rubric))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(grade_url(version)).content.decode()
    history = html[html.index('class="card history"') :]
    assert points in history and wrong not in history
    for stored in ("76.00", "76,00", "18.00", "18,00"):  # the percentage and a criterion's points, as stored
        assert stored not in history


def test_the_live_summary_knows_the_decimal_sign(login, cast, version):
    client = login(cast.instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    assert '"decimalSeparator": ","' in client.get(grade_url(version)).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '"decimalSeparator": "."' in client.get(grade_url(version)).content.decode()


# A task without points: graded as a percentage ------------------------------------------------------


@pytest.fixture
def case_plan(cast):
    """СОӨЖ 2-3: no points in the course document, no rubric."""
    return cast.tasks["СОӨЖ 2-3"]


def test_a_task_without_points_is_graded_as_a_percentage_everywhere(client, cast, case_plan):
    version = hand_in_work(case_plan, cast.student)
    client.force_login(cast.instructor)
    page = client.get(grade_url(version)).content.decode()
    assert gettext_kk("Percentage, %") in page and 'name="percent"' in page and 'name="points"' not in page
    refused = client.post(grade_url(version), {"lock_version": 0, "action": "save", "percent": "150"})
    assert 'class="form-control is-invalid" name="percent"' in refused.content.decode()
    assert not Grade.objects.exists()
    client.post(grade_url(version), {"lock_version": 0, "action": "release", "percent": "85"})
    grade = Grade.objects.get()
    assert (grade.points, grade.percent, grade.released_percent) == (None, Decimal("85.00"), Decimal("85.00"))
    queue = client.get(reverse("grading:queue", args=[case_plan.course_id, case_plan.pk])).content.decode()
    cell = queue[queue.index('class="text-nowrap grade-cell"') :]
    assert cell.split("<span")[0].split(">", 1)[1].strip() == "85%"
    page = client.get(grade_url(version)).content.decode()
    history = page[page.index('class="card history"') :]
    assert "85" in history and gettext_kk("Points") + "</dt>" not in history  # a percentage, no points
    assert 'id="live-points"' not in page  # the live summary shows the percentage alone (tests/e2e)
    client.force_login(cast.student)
    card = released_card(task_page(client, case_plan))
    assert '<dd class="grade-points">85%</dd>' in card
    # The course total comes from the tasks with points: 22 + 22 + 18 in the seed.
    assert "курстың жалпы 62 балына есептелмейді" in card
    assert gettext_kk("Points") + "</dt>" not in card


def test_the_history_names_criteria_and_levels_in_the_readers_language(login, cast, released, settings):
    client = login(cast.instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(reverse("grading:grade", args=[released.submission_id])).content.decode()
    history = html.split('id="history-heading"')[1]
    criterion = released.rubric.criteria.order_by("position").first()
    level = criterion.levels.get(title="Жақсы")
    assert criterion.title_ru in history and level.title_ru in history
    assert criterion.title not in history
