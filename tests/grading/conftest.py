import datetime as dt
from decimal import Decimal

import pytest

from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from portfolio import services as portfolio_services
from tests.portfolio.conftest import at, docx

HANDED_IN = at(dt.date(2025, 9, 20))


@pytest.fixture
def rubric(db):
    letter_scale_ensure()
    return essay_rubric_ensure()


@pytest.fixture
def essay(cast, rubric):
    """СОӨЖ 1 with the seed rubric attached and 20 points set by the instructor."""
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = rubric
    task.max_points = Decimal(20)
    task.save()
    return task


def hand_in(task, student, moment=HANDED_IN, name="эссе.docx"):
    portfolio_services.draft_add_files(task=task, student=student, uploads=[docx(name)], now=moment)
    return portfolio_services.draft_submit(task=task, student=student, statement_accepted=True, now=moment)


@pytest.fixture
def version(cast, essay):
    return hand_in(essay, cast.student)


def scores_for(rubric, picks):
    """picks: one (level title, points, comment) per criterion, in order."""
    result = []
    for criterion, (level_title, points, comment) in zip(
        rubric.criteria.prefetch_related("levels"), picks, strict=True
    ):
        level = next(level for level in criterion.levels.all() if level.title == level_title)
        result.append({"criterion": criterion, "level": level, "points": Decimal(points), "comment": comment})
    return result


GOOD_PICKS = [
    ("Өте жақсы", "25", "Тақырып толық ашылған."),
    ("Жақсы", "18", "Құрылымы сақталған."),
    ("Жақсы", "17", ""),
    ("Өте жақсы", "22", ""),
    ("Қанағаттанарлық", "13", "Қорытынды әлсіз."),
]  # sum 95 of 125 → 76% → 15.2 of 20
