"""``Translated``: one declaration gives a field's Kazakh, Russian and English columns and its display property."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from accounts.i18n import Translated
from accounts.models import Department, User
from coursework.models import Course, Task
from grading.models import Criterion, HolisticBand, HolisticScale, Level, Rubric

# (model, field, column class, max_length, whether the Kazakh column may be left empty), as declared before the helper.
DECLARED = [
    (Department, "name", models.CharField, 200, False),
    (Department, "faculty", models.CharField, 200, True),
    (Department, "university", models.CharField, 200, False),
    (Course, "title", models.CharField, 255, False),
    (Course, "programme", models.CharField, 255, True),
    (Task, "title", models.CharField, 500, False),
    (Task, "description", models.TextField, None, False),
    (Task, "portfolio", models.TextField, None, True),
    (HolisticScale, "title", models.CharField, 255, False),
    (HolisticBand, "title", models.CharField, 100, False),
    (HolisticBand, "descriptor", models.TextField, None, False),
    (Rubric, "title", models.CharField, 255, False),
    (Criterion, "title", models.CharField, 255, False),
    (Level, "title", models.CharField, 100, False),
    (Level, "descriptor", models.TextField, None, True),
]
IDS = [f"{model.__name__}.{field}" for model, field, *_ in DECLARED]
LABELS = {
    "name": "name",
    "faculty": "faculty",
    "university": "university",
    "title": "title",
    "programme": "educational programme",
    "description": "description",
    "portfolio": "portfolio requirements",
    "descriptor": "descriptor",
}


@pytest.mark.parametrize(("model", "field", "column_class", "max_length", "kazakh_blank"), DECLARED, ids=IDS)
def test_each_translated_field_has_its_three_columns(model, field, column_class, max_length, kazakh_blank):
    kazakh, russian, english = (model._meta.get_field(field + suffix) for suffix in ("", "_ru", "_en"))
    for column in (kazakh, russian, english):
        assert type(column) is column_class
        assert column.max_length == max_length
        assert not column.null
    assert kazakh.blank is kazakh_blank
    assert russian.blank
    assert english.blank


@pytest.mark.parametrize(("model", "field", "column_class", "max_length", "kazakh_blank"), DECLARED, ids=IDS)
def test_the_columns_deconstruct_as_the_hand_written_ones_did(model, field, column_class, max_length, kazakh_blank):
    """What migrations see: the same class, options and English msgids as the declarations the helper replaced."""
    for suffix, language in (("", "Kazakh"), ("_ru", "Russian"), ("_en", "English")):
        name, path, args, kwargs = model._meta.get_field(field + suffix).deconstruct()
        with translation.override(None):
            kwargs["verbose_name"] = str(kwargs["verbose_name"])
        expected = {"verbose_name": f"{LABELS[field]} ({language})"}
        if max_length:
            expected["max_length"] = max_length
        if suffix or kazakh_blank:
            expected["blank"] = True
        assert (name, path, args, kwargs) == (field + suffix, f"django.db.models.{column_class.__name__}", [], expected)


def test_the_labels_keep_their_translations():
    label = Department._meta.get_field("name").verbose_name
    with translation.override("kk"):
        assert str(label) == "атауы (қазақша)"
    with translation.override("ru"):
        assert str(label) == "название (на казахском)"
        assert str(Task._meta.get_field("portfolio_en").verbose_name) == "требования к портфолио (на английском)"


def test_the_columns_keep_their_place_among_the_fields():
    """Forms and the admin list fields in declaration order: the columns stand where the model declares them."""

    def names(model):
        return " ".join(field.name for field in model._meta.local_fields)

    assert names(Criterion) == "id rubric position title title_ru title_en"
    assert names(Level) == (
        "id criterion position title title_ru title_en descriptor descriptor_ru descriptor_en min_percent max_percent"
    )
    assert (
        names(Department)
        == "id name name_ru name_en faculty faculty_ru faculty_en university university_ru university_en"
    )


def filled(model, field, **columns):
    return model(**{f"{field}{suffix}": text for suffix, text in columns.items()})


@pytest.mark.parametrize(("model", "field"), [(model, field) for model, field, *_ in DECLARED], ids=IDS)
def test_the_display_property_reads_the_active_language(model, field):
    obj = filled(model, field, **{"": "қазақша", "_ru": "по-русски", "_en": "in English"})
    display = f"display_{field}"
    with translation.override("kk"):
        assert getattr(obj, display) == "қазақша"
    with translation.override("ru"):
        assert getattr(obj, display) == "по-русски"
    with translation.override("en"):
        assert getattr(obj, display) == "in English"


@pytest.mark.parametrize(("model", "field"), [(model, field) for model, field, *_ in DECLARED], ids=IDS)
def test_the_display_property_falls_back_to_kazakh_when_the_language_is_empty(model, field):
    obj = filled(model, field, **{"": "қазақша", "_ru": "", "_en": "in English"})
    with translation.override("ru"):
        assert getattr(obj, f"display_{field}") == "қазақша"
    with translation.override("en"):
        assert getattr(obj, f"display_{field}") == "in English"


def test_a_department_and_a_person_each_keep_their_own_display_name():
    department = Department(name="Әлеуметтік жұмыс кафедрасы", name_ru="Кафедра социальной работы")
    person = User(username="aigerim", first_name="Әйгерім", last_name="Сейітова", department=department)
    with translation.override("ru"):
        assert department.display_name == "Кафедра социальной работы"
        assert str(department) == "Кафедра социальной работы"
        assert person.display_name == "Сейітова Әйгерім"


@pytest.mark.django_db
def test_the_columns_are_stored_and_read_back():
    Department.objects.create(name="Психология кафедрасы", name_en="Department of Psychology", university="ҚазҰУ")
    department = Department.objects.get(university="ҚазҰУ")
    assert (department.name_ru, department.faculty, department.faculty_ru) == ("", "", "")
    with translation.override("en"):
        assert department.display_name == "Department of Psychology"
        assert department.display_university == "ҚазҰУ"
        assert department.display_faculty == ""


def test_the_kazakh_column_is_required_unless_declared_blank():
    with pytest.raises(ValidationError) as raised:
        Department(name="", university="ҚазҰУ").clean_fields()
    assert set(raised.value.message_dict) == {"name"}
    Level(title="Жоғары", descriptor="", min_percent=90, max_percent=100).clean_fields(exclude=["criterion"])


def test_a_field_without_labels_is_refused():
    with pytest.raises(LookupError, match="TRANSLATED_LABELS"):
        Translated(models.CharField, max_length=50).contribute_to_class(Department, "nickname")
