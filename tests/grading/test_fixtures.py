"""The fixture data equals the course document's two assessment tables and the national scale."""

from decimal import Decimal

import pytest

from grading.models import HolisticBand, LetterGrade
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure

pytestmark = pytest.mark.django_db

# Typed from the Kazakh original's rubric table, not read from the fixture under test.
CRITERIA = [
    "Тақырыпты түсінуі",
    "Жұмыс құрылымы",
    "Мазмұнның логикасы мен дереккөздерді қолдануы",
    "Жазу сауаттылығы",
    "Сыни тұрғыдан ойлау және қорытынды жасау",
]
LEVELS = [("Өте жақсы", 20, 25), ("Жақсы", 15, 20), ("Қанағаттанарлық", 10, 15), ("Қанағаттанарлықсыз", 0, 10)]


def test_the_rubric_has_the_documents_five_criteria_and_four_levels():
    rubric = essay_rubric_ensure()
    criteria = list(rubric.criteria.prefetch_related("levels"))
    assert [criterion.title for criterion in criteria] == CRITERIA
    for criterion in criteria:
        levels = [(level.title, level.min_percent, level.max_percent) for level in criterion.levels.all()]
        assert levels == [(title, Decimal(low), Decimal(high)) for title, low, high in LEVELS]


def test_the_descriptors_are_the_documents_kazakh_text():
    rubric = essay_rubric_ensure()
    first = rubric.criteria.get(title="Тақырыпты түсінуі").levels.get(title="Өте жақсы")
    assert first.descriptor == "Реферат тақырыбын толық ашады, негізгі идея мен теориялық мазмұнды анық түсіндіреді."
    # The fifth criterion's text runs across a page break in the original and is joined here.
    last = rubric.criteria.get(title="Сыни тұрғыдан ойлау және қорытынды жасау").levels.get(title="Жақсы")
    assert last.descriptor == "Ойды жинақтап, салыстырмалы талдау жасайды, бірақ қорытынды толық емес."
    for criterion in rubric.criteria.all():
        for level in criterion.levels.all():
            assert level.descriptor and level.descriptor_ru and level.descriptor_en


def test_the_holistic_bands_and_thresholds_are_the_documents():
    rubric = essay_rubric_ensure()
    bands = list(HolisticBand.objects.filter(scale=rubric.holistic_scale).order_by("position"))
    assert [(b.label, b.min_percent, b.max_percent) for b in bands] == [
        ("90-100 балл (өте жақсы)", 90, 100),
        ("70-89 (жақ)", 70, 89),
        ("50-69 (қанағаттанарлық)", 50, 69),
        ("49-дан төмен (қанағаттандырылмайды)", 0, 49),
        ("0", 0, 0),
    ]
    assert [b.originality_min for b in bands] == [80, 70, 60, 40, None]
    assert [b.timeliness for b in bands] == ["on_time", "on_time", "late", "", ""]
    assert "Түпнұсқалықтың пайызы 40% - дан аз" in bands[-1].descriptor


def test_loading_twice_creates_nothing_new():
    first = essay_rubric_ensure()
    assert essay_rubric_ensure().pk == first.pk
    assert HolisticBand.objects.count() == 5


def test_the_national_scale_is_the_ministrys_table():
    letter_scale_ensure()
    rows = [(g.letter, g.min_percent, g.max_percent, g.gpa) for g in LetterGrade.objects.order_by("-min_percent")]
    assert rows == [
        ("A", 95, 100, Decimal("4.00")),
        ("A-", 90, 94, Decimal("3.67")),
        ("B+", 85, 89, Decimal("3.33")),
        ("B", 80, 84, Decimal("3.00")),
        ("B-", 75, 79, Decimal("2.67")),
        ("C+", 70, 74, Decimal("2.33")),
        ("C", 65, 69, Decimal("2.00")),
        ("C-", 60, 64, Decimal("1.67")),
        ("D+", 55, 59, Decimal("1.33")),
        ("D", 50, 54, Decimal("1.00")),
        ("FX", 25, 49, Decimal("0.50")),
        ("F", 0, 24, Decimal("0.00")),
    ]
