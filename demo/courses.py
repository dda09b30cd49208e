"""Demo data: a department, the seed course running now, its people, and a second course.

Every name here is invented; the password of every demo account is DEMO_PASSWORD.
"""

import datetime as dt
import functools

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from coursework.models import Course, Deliverable, Enrollment, Task, Term
from coursework.services.courses import course_create_from_seed, department_ensure, seed_read
from demo.analysis import demo_analysis
from demo.caseplans import demo_caseplans
from demo.directory import demo_institution_reports
from demo.grades import demo_controls, demo_grades
from demo.jobs import demo_jobs
from demo.portfolios import demo_portfolios
from demo.slots import demo_slots
from demo.toolkits import demo_toolkits
from grading.models import Rubric
from grading.services.rubrics import essay_rubric_ensure, example_rubrics_ensure, rubric_copy, task_rubric_set

DEMO_PASSWORD = "demo-pass-2025"  # noqa: S105 — documented demo credential
GROUPS = ("СЖ-23-01", "СЖ-23-02")

# Invented Kazakh names (surname, given name, patronymic) for the 24 students of the seed course.
STUDENT_NAMES = [
    ("Әбілқасымова", "Әсел", "Қайратқызы"),
    ("Бекмұратов", "Нұрлан", "Серікұлы"),
    ("Жұмабаева", "Айгерім", "Болатқызы"),
    ("Оспанов", "Дәурен", "Ерланұлы"),
    ("Сәрсенбаева", "Гүлнұр", "Маратқызы"),
    ("Тоқтаров", "Ерасыл", "Асқарұлы"),
    ("Құрманғалиева", "Мөлдір", "Ғаниқызы"),
    ("Нұрпейісов", "Әлихан", "Талғатұлы"),
    ("Исмаилова", "Жансая", "Ержанқызы"),
    ("Қасымов", "Бауыржан", "Нұрланұлы"),
    ("Ермекова", "Дана", "Сағатқызы"),
    ("Сейітов", "Арман", "Бақытұлы"),
    ("Мұхтарова", "Аружан", "Даниярқызы"),
    ("Жақсыбеков", "Темірлан", "Оралұлы"),
    ("Рахымжанова", "Томирис", "Әділқызы"),
    ("Әлімов", "Ислам", "Ғалымұлы"),
    ("Байжанова", "Індира", "Русланқызы"),
    ("Шәкенов", "Мирас", "Қуанышұлы"),
    ("Үсенова", "Камила", "Жандосқызы"),
    ("Ғабитов", "Санжар", "Мұратұлы"),
    ("Қалиева", "Ләззат", "Өмірзаққызы"),
    ("Төлеуов", "Ақжол", "Бекзатұлы"),
    ("Өтепова", "Назерке", "Ержігітқызы"),
    ("Шыңғысов", "Райымбек", "Азатұлы"),
]
OTHER_STUDENT_NAMES = [
    ("Абенова", "Сабина", "Тимурқызы"),
    ("Досанов", "Алмас", "Қанатұлы"),
    ("Кенжебаева", "Ұлжан", "Берікқызы"),
    ("Мамыров", "Еркебұлан", "Жомартұлы"),
]


def academic_year_and_term(today):
    """The academic year runs September to June: autumn from August to January, spring after."""
    if today.month >= 8:
        return f"{today.year}-{today.year + 1}", Term.AUTUMN
    if today.month == 1:
        return f"{today.year - 1}-{today.year}", Term.AUTUMN
    return f"{today.year - 1}-{today.year}", Term.SPRING


def _user(username, role, department, names, email="", student_number=""):
    """A demo account; ``names`` is (surname, given name, patronymic)."""
    last_name, first_name, middle_name = names
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "department": department,
            "last_name": last_name,
            "first_name": first_name,
            "middle_name": middle_name,
            "email": email or f"{username}@demo.kaznu.example",
            "student_number": student_number,
        },
    )
    if created:
        # One hash for every demo account: the password is public anyway, and hashing it 31 times
        # would make `make run` wait several seconds for nothing.
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


@functools.cache
def _demo_password_hash():
    return make_password(DEMO_PASSWORD)


@transaction.atomic
def demo_load(*, today=None):
    """Create (or bring back) the demo. Running it again changes nothing that is already there."""
    today = today or timezone.localdate()
    seed = seed_read()
    department = department_ensure(seed=seed)
    year, term = academic_year_and_term(today)
    this_monday = today - dt.timedelta(days=today.weekday())
    start_date = this_monday - dt.timedelta(weeks=6)

    course = course_create_from_seed(
        seed=seed, department=department, academic_year=year, term=term, start_date=start_date
    )
    instructor1 = _user("instructor1", Role.INSTRUCTOR, department, ("Жақыпова", "Сәуле", "Амангелдіқызы"))
    dept_admin = _user("deptadmin1", Role.DEPARTMENT_ADMIN, department, ("Нұрғалиев", "Ерлан", "Бейсенұлы"))
    course.instructors.add(instructor1)
    for number, (last, first, middle) in enumerate(STUDENT_NAMES, start=1):
        student = _user(
            f"student{number}", Role.STUDENT, department, (last, first, middle), student_number=f"2301{number:05d}"
        )
        group = GROUPS[0] if number <= len(STUDENT_NAMES) // 2 else GROUPS[1]
        Enrollment.objects.update_or_create(course=course, student=student, defaults={"academic_group": group})

    other = _other_course(department=department, year=year, term=term, start_date=start_date)
    demo_rubrics_attach(course=course, by=instructor1)
    demo_department_rubric(department=department, author=instructor1, course=other)

    demo_portfolios(course=course, now=timezone.now())
    demo_slots(course=course, now=timezone.now())
    demo_institution_reports(course=course, now=timezone.now())
    demo_caseplans(course=course)
    demo_analysis(course=course)
    demo_toolkits(course=course)

    demo_grades(course=course)
    demo_controls(course=course)
    demo_jobs(course=course, instructor=instructor1, dept_admin=dept_admin)
    return course, other


def demo_rubrics_attach(*, course, by):
    """Each task graded with its own rubric: the course document's essay rubric for the essays and the
    institution report (СОӨЖ 1, СОӨЖ 4-5), the portal's example rubric for each structured deliverable (the
    service repository, the case plan, the model comparison and SWOT, the assessment toolkit).

    Rule: the demo is brought back as it was, so a task whose rubric was changed gets its own again; grades
    already given keep the rubric they were given with. Each change is logged in the name of ``by`` (the course's
    instructor), as the task editor logs it.
    """
    essay = essay_rubric_ensure()
    rubrics = {Deliverable.ESSAY: essay, Deliverable.INSTITUTION_REPORT: essay, **example_rubrics_ensure()}
    for task in course.tasks.all():
        rubric = rubrics.get(task.deliverable)
        if rubric is not None and task.rubric_id != rubric.pk:
            task_rubric_set(task=task, rubric=rubric, by=by)


DEPARTMENT_RUBRIC_TITLE = "Эссе: кафедраның ортақ рубрикасы"


def demo_department_rubric(*, department, author, course):
    """A department rubric that ``author`` made (a copy of the course document's essay rubric) and a colleague uses:
    ``course``'s essays are graded with it, so its page shows who may edit it and who uses it.

    Rule: made once; brought back onto ``course``'s tasks if they were given another rubric."""
    rubric = Rubric.objects.filter(department=department, created_by=author, title=DEPARTMENT_RUBRIC_TITLE).first()
    if rubric is None:
        rubric = rubric_copy(
            rubric=essay_rubric_ensure(), department=department, user=author, title=DEPARTMENT_RUBRIC_TITLE
        )
        rubric.title_ru, rubric.title_en = "Эссе: общая рубрика кафедры", "Essay: the department's shared rubric"
        rubric.save(update_fields=["title_ru", "title_en"])
    colleague = course.instructors.first()
    for task in course.tasks.filter(deliverable=Deliverable.ESSAY).exclude(rubric=rubric):
        task_rubric_set(task=task, rubric=rubric, by=colleague)
    return rubric


def _other_course(*, department, year, term, start_date):
    """A second course with its own instructor and students, so that access rules show."""
    course, _ = Course.objects.update_or_create(
        code="SW-THEORY",
        academic_year=year,
        term=term,
        defaults={
            "department": department,
            "start_date": start_date,
            "title": "Әлеуметтік жұмыс теориясы",
            "title_ru": "Теория социальной работы",
            "title_en": "Theory of social work",
            "programme": "7В11401 – Әлеуметтік жұмыс",
            "programme_ru": "7В11401 – Социальная работа",
            "programme_en": "7В11401 – Social Work",
        },
    )
    instructor2 = _user("instructor2", Role.INSTRUCTOR, department, ("Серікбаев", "Марат", "Оралұлы"))
    course.instructors.add(instructor2)
    tasks = [
        (
            "СӨЖ 1",
            4,
            "20",
            "Әлеуметтік жұмыс теорияларына шолу",
            "Обзор теорий социальной работы",
            "A review of social-work theories",
        ),
        (
            "СӨЖ 2",
            9,
            "20",
            "Экологиялық тәсіл: кейс талдау",
            "Экологический подход: анализ случая",
            "The ecological approach: a case analysis",
        ),
    ]
    for position, (label, week, points, kk, ru, en) in enumerate(tasks, start=1):
        Task.objects.update_or_create(
            course=course,
            label=label,
            defaults={
                "position": position,
                "kind": "sozh",
                "deliverable": "essay",
                "due_week": week,
                "max_points": points,
                "title": kk,
                "title_ru": ru,
                "title_en": en,
                "description": kk,
                "description_ru": ru,
                "description_en": en,
            },
        )
    for number, (last, first, middle) in enumerate(OTHER_STUDENT_NAMES, start=len(STUDENT_NAMES) + 1):
        student = _user(
            f"student{number}", Role.STUDENT, department, (last, first, middle), student_number=f"2301{number:05d}"
        )
        Enrollment.objects.update_or_create(course=course, student=student, defaults={"academic_group": "СЖ-24-01"})
    return course
