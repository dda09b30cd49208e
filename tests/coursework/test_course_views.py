"""The department admin's course set-up pages (coursework/views/courses.py): create, edit, copy into a new term.
Who may reach them, then what they do; and the links to them from the department's home and the course page."""

import datetime as dt

import pytest
from django.urls import reverse

from coursework.models import Course, Term
from coursework.services.courses import RUN_TAKEN
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CREATE = reverse("coursework:course_create")


def edit_url(course):
    return reverse("coursework:course_edit", args=[course.pk])


def copy_url(course):
    return reverse("coursework:course_copy", args=[course.pk])


def course_url(course):
    return reverse("grading:course_detail", args=[course.pk])


def course_data(cast, **changes):
    data = {
        "code": "SW-201",
        "title": "Әлеуметтік жұмыс теориясы",
        "title_ru": "Теория социальной работы",
        "title_en": "Theory of social work",
        "programme": "7В11401 – Әлеуметтік жұмыс",
        "academic_year": "2025-2026",
        "term": Term.SPRING,
        "start_date": "2026-01-12",
        "expected_points": "60",
        "reference_style": "gost",
        "compiler": "Жақыпова С.А.",
        "department_protocol_number": "5",
        "department_protocol_date": "2025-12-10",
        "instructors": [cast.instructor.pk],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# Access first -------------------------------------------------------------------------------------


def all_urls(cast):
    return [CREATE, edit_url(cast.course), copy_url(cast.course)]


def test_anonymous_visitors_are_sent_to_sign_in(client, cast):
    for url in all_urls(cast):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["student", "instructor", "other_student", "other_instructor"])
def test_students_and_instructors_are_forbidden(login, cast, who):
    client = login(getattr(cast, who))
    for url in all_urls(cast):
        assert client.get(url).status_code == 403
        assert client.post(url, course_data(cast)).status_code == 403
    assert Course.objects.filter(code="SW-201").count() == 0


def test_another_departments_admin_gets_404_for_the_course(login, cast):
    client = login(cast.other_dept_admin)
    for url in (edit_url(cast.course), copy_url(cast.course)):
        assert client.get(url).status_code == 404
        assert client.post(url, course_data(cast)).status_code == 404


def test_an_admin_without_a_department_cannot_open_a_course(login, cast):
    client = login(make_user("lost_admin", "department_admin", None))
    assert client.get(CREATE).status_code == 404


def test_the_departments_admin_reaches_every_page(login, cast):
    client = login(cast.dept_admin)
    for url in all_urls(cast):
        assert client.get(url).status_code == 200


# Create -------------------------------------------------------------------------------------------


def test_the_form_offers_only_the_departments_instructors(login, cast):
    page = login(cast.dept_admin).get(CREATE).content.decode()
    assert cast.instructor.display_name in page
    assert cast.other_instructor.display_name not in page
    assert cast.student.display_name not in page


def test_a_new_course_opens_on_its_course_page(login, cast):
    response = login(cast.dept_admin).post(CREATE, course_data(cast))
    course = Course.objects.get(code="SW-201")
    assert response.status_code == 302
    assert response["Location"] == course_url(course)
    assert course.department == cast.department
    assert list(course.instructors.all()) == [cast.instructor]
    assert (course.compiler, course.department_protocol_date) == ("Жақыпова С.А.", dt.date(2025, 12, 10))


def test_a_taken_run_is_said_next_to_the_code(login, cast):
    data = course_data(cast, code=cast.course.code, term=Term.AUTUMN, start_date="2025-09-01")
    response = login(cast.dept_admin).post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [str(RUN_TAKEN)]}
    assert str(RUN_TAKEN) in response.content.decode()
    assert Course.objects.filter(code=cast.course.code).count() == 1


def test_a_start_that_is_not_a_monday_is_said_next_to_the_date(login, cast):
    response = login(cast.dept_admin).post(CREATE, course_data(cast, start_date="2026-01-14"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["start_date"]
    assert not Course.objects.filter(code="SW-201").exists()


def test_bad_input_gets_messages_not_an_error_page(login, cast):
    data = course_data(
        cast, academic_year="2025/26", expected_points="-3", title="", instructors=[cast.other_instructor.pk]
    )
    response = login(cast.dept_admin).post(CREATE, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"academic_year", "expected_points", "title", "instructors"}
    assert not Course.objects.filter(code="SW-201").exists()


# Edit ---------------------------------------------------------------------------------------------


def test_the_edit_form_starts_from_the_course(login, cast):
    form = login(cast.dept_admin).get(edit_url(cast.course)).context["form"]
    assert form["code"].value() == cast.course.code
    assert form["compiler"].value() == "Мамытканов Д.К."
    assert list(form["instructors"].value()) == [cast.instructor.pk]


def test_an_edit_is_saved_and_leads_back_to_the_course(login, cast):
    colleague = make_user("colleague", "instructor", cast.department, last_name="Қасымова")
    data = course_data(
        cast, code=cast.course.code, term=Term.AUTUMN, start_date="2025-09-01", instructors=[colleague.pk]
    )
    response = login(cast.dept_admin).post(edit_url(cast.course), data)
    assert response.status_code == 302
    assert response["Location"] == course_url(cast.course)
    cast.course.refresh_from_db()
    assert cast.course.title_en == "Theory of social work"
    assert list(cast.course.instructors.all()) == [colleague]
    assert cast.course.tasks.count() == 6


def test_an_edit_into_another_run_that_is_taken_is_refused(login, cast):
    Course.objects.create(
        department=cast.department,
        code="SW-201",
        title="Басқа",
        academic_year="2025-2026",
        term=Term.SPRING,
        start_date=dt.date(2026, 1, 12),
    )
    response = login(cast.dept_admin).post(edit_url(cast.course), course_data(cast))
    assert response.context["form"].errors == {"code": [str(RUN_TAKEN)]}
    cast.course.refresh_from_db()
    assert cast.course.code == "CM-7B11401"
    assert cast.course.display_title in response.content.decode()  # the heading names the course as stored


# Copy ---------------------------------------------------------------------------------------------


def test_the_copy_form_proposes_next_years_run_and_shows_what_is_copied(login, cast):
    response = login(cast.dept_admin).get(copy_url(cast.course))
    form = response.context["form"]
    assert form["academic_year"].value() == "2026-2027"
    assert form["term"].value() == Term.AUTUMN
    assert form["start_date"].value() == dt.date(2026, 8, 31)
    page = response.content.decode()
    for task in cast.tasks.values():
        assert task.display_title in page
    assert "17" in page and cast.instructor.display_name in page


def test_a_copy_opens_on_the_new_course_page(login, cast):
    data = {"code": cast.course.code, "academic_year": "2026-2027", "term": Term.AUTUMN, "start_date": "2026-08-31"}
    response = login(cast.dept_admin).post(copy_url(cast.course), data)
    copy = Course.objects.get(academic_year="2026-2027")
    assert response["Location"] == course_url(copy)
    assert copy.copied_from == cast.course
    assert copy.tasks.count() == 6 and copy.references.count() == 17 and not copy.enrollments.exists()


def test_copying_into_an_existing_run_is_refused_with_a_message(login, cast):
    data = {"code": cast.course.code, "academic_year": "2025-2026", "term": Term.AUTUMN, "start_date": "2025-09-01"}
    response = login(cast.dept_admin).post(copy_url(cast.course), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": [str(RUN_TAKEN)]}
    assert Course.objects.filter(code=cast.course.code).count() == 1


def test_a_copy_that_does_not_start_on_a_monday_is_refused_next_to_the_date(login, cast):
    data = {"code": cast.course.code, "academic_year": "2026-2027", "term": Term.AUTUMN, "start_date": "2026-09-01"}
    response = login(cast.dept_admin).post(copy_url(cast.course), data)
    assert list(response.context["form"].errors) == ["start_date"]
    assert not Course.objects.filter(academic_year="2026-2027").exists()


def test_a_copy_with_a_malformed_year_gets_a_message(login, cast):
    data = {"code": cast.course.code, "academic_year": "26-27", "term": Term.AUTUMN, "start_date": "2026-08-31"}
    response = login(cast.dept_admin).post(copy_url(cast.course), data)
    assert list(response.context["form"].errors) == ["academic_year"]


# Links to the pages -----------------------------------------------------------------------------


def test_the_department_home_offers_a_new_course_and_each_courses_edit_and_copy(login, cast):
    page = login(cast.dept_admin).get(reverse("grading:department_home")).content.decode()
    assert f'href="{CREATE}"' in page
    assert f'href="{edit_url(cast.course)}"' in page
    assert f'href="{copy_url(cast.course)}"' in page


def test_the_course_page_shows_set_up_links_by_role(login, cast):
    edit, copy = f'href="{edit_url(cast.course)}"', f'href="{copy_url(cast.course)}"'
    readings = f'href="{reverse("coursework:reading_list", args=[cast.course.pk])}"'
    admin_page = login(cast.dept_admin).get(course_url(cast.course)).content.decode()
    assert edit in admin_page and copy in admin_page and readings not in admin_page
    instructor_page = login(cast.instructor).get(course_url(cast.course)).content.decode()
    assert readings in instructor_page and edit not in instructor_page and copy not in instructor_page
    student_page = login(cast.student).get(course_url(cast.course)).content.decode()
    assert edit not in student_page and copy not in student_page and readings not in student_page
