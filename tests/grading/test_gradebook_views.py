"""The gradebook's pages (grading/views/gradebook.py): the gradebook, the control scores, the grading formula, the
lock, the unlocking and the sign-off. Who may reach each, then what they do."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from coursework.models import Enrollment
from grading.models import ControlScore, CourseAssessment, GradebookLock
from grading.services.gradebook import gradebook_lock, gradebook_unlock
from grading.services.grades import grade_release, grade_save
from tests.conftest import make_user
from tests.grading.conftest import give, hand_in_work

pytestmark = pytest.mark.django_db

# Who is refused the instructor's pages, and how: 404 outside the course, 403 for the admin who oversees it.
NOT_THE_INSTRUCTOR = [
    ("student", 404),
    ("other_student", 404),
    ("other_instructor", 404),
    ("dept_admin", 403),
    ("other_dept_admin", 404),
]
FORMULA = {
    "uses_credit_formula": "on",
    "first_half_last_week": "8",
    "current_weight": "0.4",
    "admission_threshold": "55",
    "admission_weight": "0.7",
    "exam_weight": "0.3",
}


def gradebook_url(cast):
    return reverse("grading:gradebook", args=[cast.course.pk])


def controls_url(cast):
    return reverse("grading:control_scores", args=[cast.course.pk])


def formula_url(cast):
    return reverse("grading:assessment_update", args=[cast.course.pk])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def russian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    return client


def unlock_url(cast, lock):
    return reverse("grading:lock_unlock", args=[cast.course.pk, lock.pk])


def locked(cast):
    return gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now() - dt.timedelta(hours=1))


def text(html):
    """The page's text, tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def gettext_in(language, message):
    with translation.override(language):
        return translation.gettext(message)


STAFF_LEGEND = (
    "* draft grade, seen by staff only and not counted · L late · ✗ missing (past the due moment) · • handed in, not "
    "graded yet · ~ provisional letter, from what counts so far, before the final grade · … no letter while "
    "handed-in work waits for a released grade."
)
STUDENT_LEGEND = (
    "L late · ✗ missing (past the due moment) · • handed in, not graded yet · ~ provisional letter, from what counts "
    "so far, before the final grade. There is no letter while any of your handed-in work waits for grading."
)


# Access first -------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(reverse("grading:gradebook", args=[cast.course.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["other_student", "other_instructor", "other_dept_admin"])
def test_outsiders_get_404(login, cast, who):
    assert login(getattr(cast, who)).get(reverse("grading:gradebook", args=[cast.course.pk])).status_code == 404


def test_a_student_sees_only_their_own_row(login, cast, national):
    give(cast, "СӨЖ 1", cast.classmate, Decimal(20))
    html = login(cast.student).get(reverse("grading:gradebook", args=[cast.course.pk])).content.decode()
    assert 'data-student="student"' in html
    assert "classmate" not in html and "Бекмұратов" not in html


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_the_courses_instructor_and_its_department_admin_see_every_row(login, cast, who):
    html = login(getattr(cast, who)).get(gradebook_url(cast)).content.decode()
    assert 'data-student="student"' in html and 'data-student="classmate"' in html


def test_anonymous_visitors_reach_none_of_the_gradebooks_pages(client, cast):
    pages = [
        ("get", controls_url(cast)),
        ("post", controls_url(cast)),
        ("post", formula_url(cast)),
        ("post", reverse("grading:lock_create", args=[cast.course.pk])),
        ("post", reverse("grading:sign_off", args=[cast.course.pk])),
        ("post", reverse("grading:lock_unlock", args=[cast.course.pk, 1])),
    ]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert not cast.course.locks.exists() and not cast.course.sign_offs.exists()


@pytest.mark.parametrize(("who", "status"), NOT_THE_INSTRUCTOR)
def test_only_the_courses_instructor_enters_control_scores(login, cast, who, status):
    client = login(getattr(cast, who))
    assert client.get(controls_url(cast)).status_code == status
    assert client.post(controls_url(cast), {f"rk1-{cast.student.pk}": "70"}).status_code == status
    assert not ControlScore.objects.exists()


@pytest.mark.parametrize(("who", "status"), NOT_THE_INSTRUCTOR)
def test_only_the_courses_instructor_changes_the_grading_formula(login, cast, who, status):
    assert login(getattr(cast, who)).post(formula_url(cast), FORMULA).status_code == status
    assert not CourseAssessment.objects.filter(course=cast.course).exists()


def test_the_grading_formula_takes_only_posts(login, cast):
    assert login(cast.instructor).get(formula_url(cast)).status_code == 405


@pytest.mark.parametrize("who", ["student", "other_student", "other_instructor"])
def test_students_and_other_courses_staff_neither_lock_nor_sign_off(login, cast, who):
    client = login(getattr(cast, who))
    data = {"starts_at": "2025-12-01T09:00"}
    assert client.post(reverse("grading:lock_create", args=[cast.course.pk]), data).status_code == 404
    assert client.post(reverse("grading:sign_off", args=[cast.course.pk])).status_code == 404
    assert not cast.course.locks.exists() and not cast.course.sign_offs.exists()


def test_the_courses_instructor_neither_locks_nor_signs_off(login, cast):
    client = login(cast.instructor)
    assert (
        client.post(
            reverse("grading:lock_create", args=[cast.course.pk]), {"starts_at": "2025-12-01T09:00"}
        ).status_code
        == 403
    )
    assert client.post(reverse("grading:sign_off", args=[cast.course.pk])).status_code == 403
    assert not cast.course.locks.exists() and not cast.course.sign_offs.exists()


def test_only_the_departments_admin_locks_and_signs_off(login, cast):
    url = reverse("grading:lock_create", args=[cast.course.pk])
    data = {"starts_at": "2025-12-01T09:00"}
    assert login(cast.instructor).post(url, data).status_code == 403
    assert login(cast.other_dept_admin).post(url, data).status_code == 404
    assert login(cast.dept_admin).post(url, data).status_code == 302
    assert cast.course.locks.count() == 1
    response = login(cast.dept_admin).post(reverse("grading:sign_off", args=[cast.course.pk]), follow=True)
    assert cast.course.sign_offs.count() == 1
    assert "status-graded" in response.content.decode()


def test_a_sign_off_note_past_its_limit_is_refused_with_the_limit_not_cut_short(login, cast):
    client = login(cast.dept_admin)
    client.post(reverse("grading:lock_create", args=[cast.course.pk]), {"starts_at": "2025-12-01T09:00"})
    response = client.post(reverse("grading:sign_off", args=[cast.course.pk]), {"note": "ә" * 301}, follow=True)
    assert not cast.course.sign_offs.exists()
    assert "300" in " ".join(str(message) for message in response.context["messages"])
    client.post(reverse("grading:sign_off", args=[cast.course.pk]), {"note": "ә" * 300})
    assert cast.course.sign_offs.get().note == "ә" * 300


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("student", 404),
        ("other_student", 404),
        ("other_instructor", 404),
        ("instructor", 403),
        ("other_dept_admin", 404),
    ],
)
def test_only_the_departments_admin_unlocks(login, cast, who, status):
    lock = locked(cast)
    assert login(getattr(cast, who)).post(unlock_url(cast, lock), {"reason": "Қате"}).status_code == status
    lock.refresh_from_db()
    assert lock.unlocked_at is None


def test_unlocking_takes_only_posts(login, cast):
    assert login(cast.dept_admin).get(unlock_url(cast, locked(cast))).status_code == 405


def test_a_lock_of_another_course_is_not_found(login, cast):
    other = gradebook_lock(course=cast.other_course, by=cast.other_dept_admin, starts_at=timezone.now())
    assert login(cast.dept_admin).post(unlock_url(cast, other), {"reason": "Қате"}).status_code == 404


# What the pages do ------------------------------------------------------------------------------


def test_the_page_filters_by_group_and_sorts(login, cast, national):
    give(cast, "СӨЖ 1", cast.student, Decimal(10))
    give(cast, "СӨЖ 1", cast.classmate, Decimal(20))
    client = login(cast.instructor)
    url = reverse("grading:gradebook", args=[cast.course.pk])
    html = client.get(url, {"group": "СЖ-23-02"}).content.decode()
    assert 'data-student="classmate"' in html and 'data-student="student"' not in html
    html = client.get(url, {"sort": "-total"}).content.decode()
    assert html.index('data-student="classmate"') < html.index('data-student="student"')
    assert "<svg" in html  # the distribution chart


def test_control_scores_page_refuses_bad_numbers_and_saves_good_ones(login, cast):
    client = login(cast.instructor)
    url = reverse("grading:control_scores", args=[cast.course.pk])
    response = client.post(url, {f"rk1-{cast.student.pk}": "120", f"rk1-{cast.classmate.pk}": "70"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not cast.course.control_scores.exists()
    client.post(url, {f"rk1-{cast.student.pk}": "85,5", f"exam-{cast.classmate.pk}": "70"})
    assert sorted(cast.course.control_scores.values_list("kind", "score")) == [
        ("exam", Decimal("70.00")),
        ("rk1", Decimal("85.50")),
    ]
    assert login(cast.student).get(url).status_code == 404


def test_the_instructor_saves_the_grading_formula_and_returns_to_the_gradebook(login, cast):
    response = login(cast.instructor).post(formula_url(cast), FORMULA)
    assert response.status_code == 302 and response["Location"] == gradebook_url(cast)
    saved = CourseAssessment.objects.get(course=cast.course)
    assert saved.uses_credit_formula and saved.first_half_last_week == 8
    assert (saved.current_weight, saved.admission_threshold) == (Decimal("0.4"), Decimal(55))
    assert (saved.admission_weight, saved.exam_weight) == (Decimal("0.7"), Decimal("0.3"))


def test_unticking_the_credit_formula_is_saved_too(login, cast):
    data = {key: value for key, value in FORMULA.items() if key != "uses_credit_formula"}
    login(cast.instructor).post(formula_url(cast), data)
    assert CourseAssessment.objects.get(course=cast.course).uses_credit_formula is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"exam_weight": "0.4"}, "The weights of the admission rating (РД) and of the exam must add up to 1."),
        ({"current_weight": "1.5"}, "Ensure this value is less than or equal to 1."),
        ({"first_half_last_week": "0"}, "Ensure this value is greater than or equal to 1."),
    ],
)
def test_an_invalid_formula_is_answered_with_the_reason_and_nothing_is_saved(login, cast, change, message):
    client = english(login(cast.instructor))
    response = client.post(formula_url(cast), FORMULA | change, follow=True)
    assert response.redirect_chain[-1][0] == gradebook_url(cast)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not CourseAssessment.objects.filter(course=cast.course).exists()


# Queries do not grow with the class -----------------------------------------------------------


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
@pytest.mark.parametrize("extra", [0, 30])
def test_the_page_uses_a_fixed_number_of_queries(login, cast, national, django_assert_max_num_queries, extra, who):
    """The locks, the sign-off and the links to grading, review and records cost the same at 2 and 32 students."""
    for number in range(extra):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")
        give(cast, "СӨЖ 1", student, Decimal(number % 22))
    gradebook_unlock(lock=locked(cast), by=cast.dept_admin, reason="Түзету")
    client = login(getattr(cast, who))
    # The same whatever the number of students or tasks: the statistics come from one query (or the cache).
    with django_assert_max_num_queries(24):
        assert client.get(reverse("grading:gradebook", args=[cast.course.pk])).status_code == 200


CONTROL_SCORES_QUERIES = 14  # a valid POST: session, user, course, roster, scores, the save's writes and lock check


def _enrol(cast, count):
    for number in range(count):
        student = make_user(f"s{number}", "student", cast.department, last_name=f"Студент {number}")
        Enrollment.objects.create(course=cast.course, student=student, academic_group="СЖ-23-02")


@pytest.mark.parametrize("extra", [0, 30])
def test_the_control_scores_page_uses_a_fixed_number_of_queries(login, cast, django_assert_max_num_queries, extra):
    """The same bound for showing the roster and for saving two scores of it, with 2 students and with 32."""
    _enrol(cast, extra)
    client = login(cast.instructor)
    with django_assert_max_num_queries(CONTROL_SCORES_QUERIES):
        response = client.get(controls_url(cast))
    assert response.content.decode().count('name="rk1-') == extra + 2
    scores = {f"rk1-{cast.student.pk}": "85,5", f"exam-{cast.classmate.pk}": "70"}
    with django_assert_max_num_queries(CONTROL_SCORES_QUERIES):
        assert client.post(controls_url(cast), scores).status_code == 302
    assert sorted(cast.course.control_scores.values_list("kind", "score")) == [
        ("exam", Decimal("70.00")),
        ("rk1", Decimal("85.50")),
    ]


# Locks on the page -----------------------------------------------------------------------------


def test_after_locking_the_page_lists_the_lock_and_offers_unlock_instead_of_another_lock(login, cast):
    client = english(login(cast.dept_admin))
    html = client.get(gradebook_url(cast)).content.decode()
    assert " lock-form" in html and "unlock-form" not in html
    lock = locked(cast)
    html = client.get(gradebook_url(cast)).content.decode()
    assert " lock-form" not in html  # no second lock while one is in force
    assert f'action="{unlock_url(cast, lock)}"' in html and "sign-off-form" in html
    with translation.override("en"):
        created = formats.date_format(timezone.localtime(lock.created_at), "SHORT_DATETIME_FORMAT")
    assert f"Locked by Нұрғалиев Ерлан on {created}" in text(html[html.index(f'data-lock="{lock.pk}"') :])


def test_locking_twice_says_why_and_keeps_one_lock(login, cast):
    client = english(login(cast.dept_admin))
    data = {"starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    client.post(reverse("grading:lock_create", args=[cast.course.pk]), data)
    response = client.post(reverse("grading:lock_create", args=[cast.course.pk]), data, follow=True)
    assert "The results are already locked: " in response.content.decode()
    assert GradebookLock.objects.filter(course=cast.course).count() == 1


def test_the_admin_unlocks_with_a_reason_and_the_page_says_who_when_and_why(login, cast):
    lock = locked(cast)
    client = english(login(cast.dept_admin))
    refused = client.post(unlock_url(cast, lock), {"reason": ""}, follow=True)
    lock.refresh_from_db()
    assert lock.unlocked_at is None and "This field is required." in refused.content.decode()
    response = client.post(unlock_url(cast, lock), {"reason": "Апелляция: СӨЖ 1 қайта бағаланады"}, follow=True)
    lock.refresh_from_db()
    assert lock.unlocked_by == cast.dept_admin and lock.unlock_reason == "Апелляция: СӨЖ 1 қайта бағаланады"
    page = text(response.content.decode())
    assert "Unlocked by Нұрғалиев Ерлан on" in page and "Апелляция: СӨЖ 1 қайта бағаланады" in page
    assert "lock-form" in response.content.decode()  # the results can be locked again


def test_the_instructor_sees_the_locks_but_no_unlock(login, cast):
    lock = locked(cast)
    gradebook_unlock(lock=lock, by=cast.dept_admin, reason="Түзету")
    gradebook_lock(course=cast.course, by=cast.dept_admin, starts_at=timezone.now())
    html = login(cast.instructor).get(gradebook_url(cast)).content.decode()
    assert html.count("data-lock=") == 2 and "Түзету" in html
    assert "unlock-form" not in html and "lock-form" not in html


def test_a_student_sees_no_locks(login, cast):
    gradebook_unlock(lock=locked(cast), by=cast.dept_admin, reason="Түзету")
    html = login(cast.student).get(gradebook_url(cast)).content.decode()
    assert "data-lock=" not in html and "Түзету" not in html


# Links from the gradebook -------------------------------------------------------------------------


def test_score_links_lead_the_admin_to_the_review_and_the_instructor_to_grading(login, cast, national):
    grade = give(cast, "СӨЖ 1", cast.student, Decimal(20))
    submission = grade.submission_id
    admin = login(cast.dept_admin).get(gradebook_url(cast)).content.decode()
    assert f'href="/submissions/{submission}/review/"' in admin and f"/submissions/{submission}/grade/" not in admin
    instructor = login(cast.instructor).get(gradebook_url(cast)).content.decode()
    assert f'href="/submissions/{submission}/grade/"' in instructor
    student = login(cast.student).get(gradebook_url(cast)).content.decode()
    assert f"/submissions/{submission}/" not in student


def test_work_not_graded_yet_links_to_the_review_too(login, cast, national):
    version = hand_in_work(cast.tasks["СӨЖ 1"], cast.classmate)
    html = login(cast.dept_admin).get(gradebook_url(cast)).content.decode()
    assert f'href="/submissions/{version.submission_id}/review/"' in html


@pytest.mark.parametrize("who", ["instructor", "dept_admin"])
def test_each_row_links_the_students_course_record(login, cast, who):
    html = login(getattr(cast, who)).get(gradebook_url(cast)).content.decode()
    for student in (cast.student, cast.classmate):
        assert reverse("grading:student_record_pdf", args=[cast.course.pk, student.pk]) in html


# What each reader reads ----------------------------------------------------------------------------


def test_the_students_legend_explains_only_what_a_student_sees(login, cast, national):
    student = text(login(cast.student).get(gradebook_url(cast)).content.decode())
    staff = text(login(cast.instructor).get(gradebook_url(cast)).content.decode())
    assert gettext_in("kk", STUDENT_LEGEND) in student and gettext_in("kk", STAFF_LEGEND) not in student
    assert gettext_in("kk", STAFF_LEGEND) in staff


def test_a_student_with_work_waiting_to_be_graded_sees_no_letter(login, cast, national):
    give(cast, "СӨЖ 1", cast.student, Decimal(22))
    hand_in_work(cast.tasks["СӨЖ 4"], cast.student)
    html = english(login(cast.student)).get(gradebook_url(cast)).content.decode()
    row = html[html.index('data-student="student"') :]
    row = row[: row.index("</tr>")]
    assert "letter-waiting" in row and "No letter while work waits for grading" in row
    assert not re.search(r'letter-cell[^"]*">\s*F', row)


def test_a_student_on_a_phone_gets_cards(login, cast, national):
    give(cast, "СӨЖ 1", cast.student, Decimal(20))
    html = login(cast.student).get(gradebook_url(cast)).content.decode()
    assert 'data-student-cards="student"' in html
    assert html.count('class="card result-card mb-2') == len(cast.tasks)
    staff = login(cast.instructor).get(gradebook_url(cast)).content.decode()
    assert "data-student-cards" not in staff


def test_english_readers_get_english_column_names_with_the_kazakh_beside_them(login, cast, national):
    html = english(login(cast.instructor)).get(gradebook_url(cast)).content.decode()
    for label in ("CA1", "MT1", "R1", "CA2", "MT2", "R2", "AR"):
        assert re.search(rf">{label}</abbr>", html), label
    for cyrillic in ("ТК1", "РК1", "Р1", "РД"):
        assert f">{cyrillic}<" not in html
    assert "Current assessment, rating period 1 (ТК1)" in html  # the column's title
    assert "CA — current assessment (ТК)" in text(html)  # and the legend names the Kazakh abbreviation


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_kazakh_and_russian_readers_keep_the_documents_abbreviations(login, cast, national, language):
    client = login(cast.instructor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(gradebook_url(cast)).content.decode()
    for label in ("ТК1", "РК1", "Р1", "ТК2", "РК2", "Р2", "РД"):
        assert re.search(rf">{label}</abbr>", html), label


def test_the_control_scores_page_labels_each_field_in_the_readers_language(login, cast):
    html = english(login(cast.instructor)).get(controls_url(cast)).content.decode()
    assert 'aria-label="Әбілқасымова Әсел — MT1"' in html and 'aria-label="Әбілқасымова Әсел — Exam"' in html
    assert "— RK1" not in html and "— EXAM" not in html
    html = russian(login(cast.instructor)).get(controls_url(cast)).content.decode()
    assert 'aria-label="Әбілқасымова Әсел — РК1"' in html and 'aria-label="Әбілқасымова Әсел — Экзамен"' in html


def give_percent(cast, label, student, percent):
    version = hand_in_work(cast.tasks[label], student)
    grade = grade_save(version=version, grader=cast.instructor, expected_lock_version=0, percent=Decimal(percent))
    return grade_release(grade=grade, by=cast.instructor, notify=False)


def test_a_task_without_points_shows_its_percentage_and_its_column_sorts(login, cast, national):
    give_percent(cast, "СОӨЖ 1", cast.student, 40)
    give_percent(cast, "СОӨЖ 1", cast.classmate, 90)
    client = login(cast.instructor)
    key = f"task-{cast.tasks['СОӨЖ 1'].pk}"
    html = client.get(gradebook_url(cast), {"sort": f"-{key}"}).content.decode()
    assert html.index('data-student="classmate"') < html.index('data-student="student"')
    row = html[html.index('data-student="classmate"') :]
    assert ">90%</a>" in row[: row.index("</tr>")]
    legend = gettext_in(
        "kk",
        "A task marked %% has no maximum points: its column shows the grade's percentage, and it counts neither in "
        "the total nor in current assessment.",
    )
    assert legend.replace("%%", "%") in text(html)
