"""The seed course equals the course document's task table."""

import datetime as dt
from decimal import Decimal

from coursework.models import Deliverable, Kind, Reference
from coursework.services.courses import course_create_from_seed, seed_read

# Typed from the Kazakh original (seed/000_…txt), not read from the fixture under test.
DOCUMENT_TABLE = [
    ("СОӨЖ 1", Kind.SOOZH, 3, None, "Кейс-менеджменттің даму тарихы мен теориялық негіздері"),
    (
        "СӨЖ 1",
        Kind.SOZH,
        5,
        Decimal("22"),
        "Клиенттің қажеттілігін бағалау әдістері. Қазақстанның түрлі клиенттерге арналған әлеуметтік қызметтері",
    ),
    ("СОӨЖ 2-3", Kind.SOOZH, 7, None, "Жеке жұмыс жоспарын (case plan) әзірлеу"),
    ("СӨЖ 4", Kind.SOZH, 10, Decimal("22"), "Кейс-менеджмент модельдерін салыстырмалы талдау"),
    ("СОӨЖ 4-5", Kind.SOOZH, 12, None, "Әлеуметтік қызмет көрсету мекемелеріндегі тәжірибе"),
    ("СӨЖ 3", Kind.SOZH, 14, Decimal("18"), "Қорытынды жоба"),
]


def test_the_schedule_has_the_documents_six_rows_in_order(cast):
    rows = [
        (task.label, task.kind, task.due_week, task.max_points, task.title)
        for task in cast.course.tasks.order_by("position")
    ]
    assert rows == DOCUMENT_TABLE


def test_the_graded_tasks_total_62_points(cast):
    assert sum(task.max_points for task in cast.course.tasks.all() if task.max_points) == Decimal("62")


def test_each_task_has_its_deliverable(cast):
    deliverables = [task.deliverable for task in cast.course.tasks.order_by("position")]
    assert deliverables == [
        Deliverable.ESSAY,
        Deliverable.SERVICE_REPOSITORY,
        Deliverable.CASE_PLAN,
        Deliverable.MODEL_COMPARISON,
        Deliverable.INSTITUTION_REPORT,
        Deliverable.ASSESSMENT_TOOLKIT,
    ]


def test_descriptions_keep_the_original_kazakh_text(cast):
    tasks = cast.tasks
    assert "5–7 беттік реферат жазу" in tasks["СОӨЖ 1"].description
    assert "репозиторийін жасаңыз (Excel шаблоны арқылы)" in tasks["СӨЖ 1"].description
    assert "SWOT-талдау жүргізіңіз" in tasks["СӨЖ 4"].description
    assert "әлеуметтік тарих критерийлерін алдын-ала анықтаңыз" in tasks["СӨЖ 3"].description
    assert tasks["СӨЖ 4"].portfolio == "Портфолио: аналитикалық есеп, әдебиеттер тізімі."


def test_only_the_essay_has_a_length_as_the_document_states_one(cast):
    # "5–7 беттік реферат жазу" (СОӨЖ 1); the document gives no length for the other tasks' texts.
    lengths = {task.label: (task.pages_min, task.pages_max) for task in cast.course.tasks.all()}
    assert lengths.pop("СОӨЖ 1") == (5, 7)
    assert set(lengths.values()) == {(None, None)}


def test_every_task_has_russian_and_english_titles(cast):
    for task in cast.course.tasks.all():
        assert task.title_ru and task.title_en, task.label
        assert task.description_ru and task.description_en, task.label


def test_loading_the_seed_again_changes_nothing(cast):
    before = list(cast.course.tasks.values_list("pk", "label", "due_week", "max_points", "title"))
    again = course_create_from_seed(
        seed=seed_read(),
        department=cast.department,
        academic_year=cast.course.academic_year,
        term=cast.course.term,
        start_date=cast.course.start_date,
    )
    assert again.pk == cast.course.pk
    assert list(again.tasks.values_list("pk", "label", "due_week", "max_points", "title")) == before


# The document's title page and its reading list (section 3, "ӘДЕБИЕТТЕР ТІЗІМІ") -----------------------------------

# Typed from the original, not read from the fixture under test.
DOCUMENT_ADDRESSES = [
    (
        "databases",
        "Professional Case Management",
        "https://journals.lww.com/professionalcasemanagementjournal/pages/default.aspx",
    ),
    ("databases", "Журнал исследований социальной политики", "https://jsps.hse.ru/about"),
    ("databases", "Исследование практики социальной работы", "https://journals.sagepub.com/home/rsw"),
    ("internet", "", "http://elibrary.kaznu.kz/ru"),
    ("internet", "", "https://www.socialworkers.org"),
    ("internet", "", "https://adilet.zan.kz/rus"),
    ("internet", "", "https://www.coe.int"),
]


def seed_again(cast):
    return course_create_from_seed(
        seed=seed_read(),
        department=cast.department,
        academic_year=cast.course.academic_year,
        term=cast.course.term,
        start_date=cast.course.start_date,
    )


def test_the_course_keeps_the_title_pages_compiler_and_protocols(cast):
    course = cast.course
    assert course.compiler == "Мамытканов Д.К."
    assert (course.department_protocol_number, course.department_protocol_date) == ("11", dt.date(2025, 6, 16))
    assert (course.faculty_protocol_number, course.faculty_protocol_date) == ("12", dt.date(2025, 6, 26))


def test_the_reading_list_has_the_documents_17_entries_in_its_three_groups(cast):
    entries = list(cast.course.references.order_by("position"))
    assert [entry.position for entry in entries] == list(range(1, 18))
    assert [entry.group for entry in entries] == ["literature"] * 10 + ["databases"] * 3 + ["internet"] * 4
    assert all(entry.text and not entry.url for entry in entries[:10])
    assert [(entry.group, entry.text, entry.url) for entry in entries[10:]] == DOCUMENT_ADDRESSES


def test_reading_list_entries_keep_the_documents_own_text(cast):
    texts = list(cast.course.references.order_by("position").values_list("text", flat=True))
    assert texts[0] == (
        "Әбдікерова Г.О. Денсаулық сақтау жүйесіндегі әлеуметтік жұмыс: оқу құралы. "
        "- Алматы: Қазақ ун-ті, 2019. - 86 б."
    )
    assert texts[2].startswith("Аубакирова Н.А. Основы права: Учебно-методическое пособие.")
    assert "(«ARASHA» баспанасының жұмыс тәжірибесінен)" in texts[6]
    assert texts[9] == (
        "Frankel A.J., Gelman S.R. & Pastor D.K. Case Management: An Introduction to Concepts and Skills (4th Ed). "
        "Oxford: Oxford University Press. – 2019. – p. 214."
    )


def test_loading_the_seed_again_never_doubles_the_reading_list(cast):
    own = Reference.objects.create(course=cast.course, position=18, group="internet", url="https://www.unicef.org")
    moved = cast.course.references.get(position=1)
    moved.position, moved.group = 40, "internet"
    moved.save()
    before = set(cast.course.references.values_list("pk", flat=True))
    course = seed_again(cast)
    assert set(course.references.values_list("pk", flat=True)) == before
    assert course.references.count() == 18
    moved.refresh_from_db()
    assert (moved.position, moved.group) == (1, "literature")  # the document's place again
    assert course.references.filter(pk=own.pk).exists()  # an entry added by hand stays
