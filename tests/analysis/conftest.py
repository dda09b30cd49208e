"""СӨЖ 4 of the cast's course (the model comparison, due at the end of its week) and the form values of an analysis
that passes every check: three models on six criteria, two items in each SWOT quadrant, five references."""

import datetime as dt

import pytest
from django.utils import timezone

from analysis import services
from portfolio import services as portfolio_services
from portfolio.models import Version
from tests.portfolio.conftest import docx

# A moment of the cast's term before СӨЖ 4 is due.
WORKING = timezone.make_aware(dt.datetime(2025, 10, 10, 12, 0))

MODELS = ["Брокерлік модель", "Клиникалық модель", "Күшті жақтарға негізделген модель"]
CRITERIA = ["Мақсаты", "Мақсатты топ", "Кейс-менеджердің рөлі", "Қарқындылығы", "Жүктемесі", "Қазақстанға сәйкестігі"]


@pytest.fixture
def comparison_task(cast):
    """СӨЖ 4: the comparison of case-management models, the SWOT analysis and the references."""
    return cast.tasks["СӨЖ 4"]


def analysis_values(**changes):
    """The form values of an analysis that passes every check; ``changes`` replace or add values."""
    values = {}
    for index, name in enumerate(MODELS):
        values |= {f"models-{index}-key": f"m{index}", f"models-{index}-name": name}
    for index, name in enumerate(CRITERIA):
        values |= {f"criteria-{index}-key": f"c{index}", f"criteria-{index}-name": name}
        for model in range(len(MODELS)):
            values[f"cell-c{index}-m{model}"] = f"{name}: {MODELS[model]} бойынша сипаттама"
    for quadrant, items in {
        "strengths": ["Мемлекеттік қолдау бар", "Әлеуметтік қызметкерлер желісі"],
        "weaknesses": ["Кадр тапшылығы", "Ведомствоаралық байланыс әлсіз"],
        "opportunities": ["Цифрландыру", "ҮЕҰ-мен әріптестік"],
        "threats": ["Қаржының тұрақсыздығы", "Кәсіби күйзеліс"],
    }.items():
        for index, text in enumerate(items):
            values |= {f"{quadrant}-{index}-text": text, f"{quadrant}-{index}-criterion": "c5" if index == 0 else ""}
    fields = ("kind", "language", "authors", "year", "title", "container", "city", "volume", "issue", "pages")
    references = [
        dict(zip(fields, ("book", "kk", "Сарыбаева И.С.", "2018", "Әлеуметтік жұмыстың әдістері мен технологиясы",
                          "Қазақ университеті", "Алматы", "", "", "203"), strict=True)),
        dict(zip(fields, ("book", "ru", "Мустафина А.С.", "2022", "Кейс-менеджмент в социальной реабилитации",
                          "Институт равных прав", "Алматы", "", "", "80"), strict=True)),
        dict(zip(fields, ("book", "en", "Frankel A.J.\nGelman S.R.\nPastor D.K.", "2019",
                          "Case Management: An Introduction to Concepts and Skills", "Oxford University Press",
                          "Oxford", "", "", "214"), strict=True)),
        dict(zip(fields, ("article", "en", "Blundo R.G.", "2016", "Solution-focused case management",
                          "Professional Case Management", "", "21", "3", "112–120"), strict=True)),
        {"kind": "web", "language": "ru", "year": "2024", "title": "Социальная защита населения",
         "container": "Adilet", "url": "https://adilet.zan.kz/rus", "accessed": "2025-09-01"},
    ]  # fmt: skip
    for index, entry in enumerate(references):
        values |= {f"references-{index}-{field}": value for field, value in entry.items()}
    values.update(changes)
    return values


def hand_in_analysis(task, student, moment=WORKING, **changes):
    """Hand in a complete analysis as the page does: the report uploaded, the working copy saved, then handed in.
    Each call hands in an analysis that differs from the one before, so it always makes a new version."""
    versions = Version.objects.filter(submission__task=task, submission__student=student).count()
    if not versions:
        portfolio_services.draft_add_files(task=task, student=student, uploads=[docx("есеп.docx")], now=moment)
    values = analysis_values(**{"strengths-1-text": f"Әлеуметтік қызметкерлер желісі ({versions + 1})", **changes})
    services.analysis_save(task=task, student=student, values=values, now=moment)
    return services.analysis_submit(task=task, student=student, statement_accepted=True, now=moment)
