"""СӨЖ 4's analysis as data: reading the page's form, the checks before hand-in and the warnings."""

import datetime as dt

import pytest

from analysis.data import analysis_from_form, analysis_problems, analysis_warnings
from tests.analysis.conftest import analysis_values

TODAY = dt.date(2025, 10, 10)


def messages_of(values):
    data, errors = analysis_from_form(values)
    assert errors == []
    return [problem.message for problem in analysis_problems(data, today=TODAY)]


def test_a_complete_analysis_has_no_problems_and_no_warnings():
    data, _errors = analysis_from_form(analysis_values())
    assert analysis_problems(data, today=TODAY) == []
    assert analysis_warnings(data) == []


def test_cells_follow_their_criterion_and_model_by_key_whatever_the_order():
    values = analysis_values()
    # The first criterion moved to the end of the table: its fields come under a later number, its key stays.
    for field in ("key", "name"):
        values[f"criteria-9-{field}"] = values.pop(f"criteria-0-{field}")
    data, _errors = analysis_from_form(values)
    assert [row["key"] for row in data["criteria"]] == ["c1", "c2", "c3", "c4", "c5", "c0"]
    assert data["cells"]["c0"]["m0"] == "Мақсаты: Брокерлік модель бойынша сипаттама"


def test_a_cell_of_a_removed_model_and_a_swot_link_to_a_removed_criterion_are_dropped():
    values = analysis_values(**{"models-2-name": "", "models-2-key": "", "criteria-5-name": "", "criteria-5-key": ""})
    data, _errors = analysis_from_form(values)
    assert len(data["models"]) == 2 and all("m2" not in row for row in data["cells"].values())
    assert "c5" not in data["cells"]
    assert data["swot"]["strengths"][0]["criterion"] == ""  # it pointed at c5


def test_a_fourth_model_or_too_long_a_cell_is_a_message_and_not_cut():
    _data, errors = analysis_from_form(analysis_values(**{"models-3-key": "m3", "models-3-name": "Төртінші"}))
    assert errors == ["Мыналар ең көбі 3 болады: салыстырылатын модельдер."]
    _data, errors = analysis_from_form(analysis_values(**{"cell-c0-m0": "ә" * 3001}))
    assert errors == ["Салыстыру кестесінің бір ұяшығы 3000 таңбадан ұзын."]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"models-2-name": "", "models-2-key": "", "models-1-name": "", "models-1-key": ""}, "Екі немесе үш модельді"),
        ({"cell-c1-m2": ""}, "ұяшығы бос"),
        ({"weaknesses-1-text": ""}, "кем дегенде екі тармақ"),
        ({"references-4-title": "", "references-4-url": "", "references-4-container": "", "references-4-year": "",
          "references-4-accessed": ""}, "Кем дегенде бес дереккөз"),
        ({"references-3-container": ""}, "журналын атаңыз"),
        ({"references-4-url": "adilet.zan.kz"}, "http:// немесе https://"),
        ({"references-0-year": "18"}, "төрт цифрмен"),
        ({"references-4-accessed": "2025-12-01"}, "өткен күн емес"),
    ],
)  # fmt: skip
def test_each_failing_check_is_its_own_message(changes, expected):
    messages = messages_of(analysis_values(**changes))
    assert len(messages) == 1, messages
    assert expected in messages[0]


def test_fewer_than_three_criteria_is_refused():
    removed = {}
    for index in range(2, 6):
        removed |= {f"criteria-{index}-name": "", f"criteria-{index}-key": ""}
    assert messages_of(analysis_values(**removed)) == ["Модельдерді кем дегенде үш өлшем бойынша салыстырыңыз."]


def test_a_missing_year_and_an_address_without_access_date_are_warnings_only():
    values = analysis_values(**{"references-0-year": "", "references-4-accessed": ""})
    data, _errors = analysis_from_form(values)
    assert analysis_problems(data, today=TODAY) == []
    assert analysis_warnings(data) == [
        "1-дереккөздің жылы жоқ.",
        "5-дереккөздің мекенжайы бар, бірақ қаралған күні жоқ.",
    ]


def test_a_criterion_not_named_yet_is_kept_with_its_cells_and_named_as_missing():
    values = analysis_values(**{"criteria-6-key": "c6", "cell-c6-m0": "Жаңа ұяшық"})
    data, _errors = analysis_from_form(values)
    assert data["criteria"][-1] == {"key": "c6", "name": ""}
    assert data["cells"]["c6"] == {"m0": "Жаңа ұяшық"}
    messages = [problem.message for problem in analysis_problems(data, today=TODAY)]
    assert messages[0] == "7-өлшемге атау керек."
