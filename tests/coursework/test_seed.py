"""The seed course equals the course document's task table."""

from decimal import Decimal

from coursework.models import Deliverable, Kind

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


def test_every_task_has_russian_and_english_titles(cast):
    for task in cast.course.tasks.all():
        assert task.title_ru and task.title_en, task.label
        assert task.description_ru and task.description_en, task.label


def test_loading_the_seed_again_changes_nothing(cast):
    from coursework.services.courses import course_create_from_seed, seed_read

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
