"""СӨЖ 3's toolkit as data: reading the page's form, the checks before hand-in, the coverage table and the scoring
sheets. Messages are checked in English, the language of the message ids, so the catalogues can change freely."""

import pytest
from django.http import QueryDict
from django.utils import translation

from tests.toolkits.conftest import toolkit_values
from toolkits.data import (
    MAX_CRITERIA,
    MAX_INSTRUMENTS,
    MAX_ITEMS,
    MAX_NAME,
    MAX_OPTIONS,
    MAX_TEXT,
    category_label,
    coverage,
    normalised,
    scale_points,
    scoring_sheets,
    toolkit_from_form,
    toolkit_problems,
)


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def parsed(**changes):
    data, errors = toolkit_from_form(toolkit_values(**changes))
    assert errors == []
    return data


def messages_of(data):
    return [problem.message for problem in toolkit_problems(data)]


def without(prefix, values=None):
    """The form values with every field of one row (and its items and anchors) taken out."""
    values = values if values is not None else toolkit_values()
    return {name: value for name, value in values.items() if not name.startswith(prefix + "-")}


# Reading the form -------------------------------------------------------------------------------------------------


def test_a_complete_toolkit_reads_whole_and_has_no_problems():
    data = parsed()
    assert toolkit_problems(data) == []
    assert (data["category"], data["category_other"]) == ("elderly", "")
    assert [row["key"] for row in data["criteria"]] == ["c0", "c1", "c2", "c3"]
    assert data["criteria"][1]["definition"] == "Дене және психикалық денсаулығы, өзіне-өзі қызмет көрсету қабілеті"
    questionnaire, scale = data["instruments"]
    assert (questionnaire["key"], questionnaire["type"], scale["type"]) == ("i0", "questionnaire", "rating_scale")
    assert [item["answer"] for item in questionnaire["items"]] == [
        "one_choice",
        "open",
        "number",
        "several_choices",
        "yes_no",
    ]
    assert questionnaire["items"][0]["options"] == ["Жалғыз", "Жұбайыммен", "Балаларыммен", "Басқа туыстарыммен"]
    # What an answer type does not use is emptied.
    assert questionnaire["items"][1] | {"text": ""} == {
        "key": "q1",
        "text": "",
        "criterion": "c1",
        "answer": "open",
        "options": [],
        "scale_from": None,
        "scale_to": None,
        "anchors": {},
    }
    # Anchors left empty are dropped; the scale's ends are whole numbers.
    assert scale["items"][0]["anchors"] == {"1": "ешқашан", "3": "кейде", "5": "әрқашан"}
    assert (scale["items"][0]["scale_from"], scale["items"][0]["scale_to"]) == (1, 5)


def test_a_querydict_from_the_page_reads_as_a_dict_does():
    form = QueryDict(mutable=True)
    for name, value in toolkit_values().items():
        form[name] = value
    assert toolkit_from_form(form) == (parsed(), [])


def test_items_follow_their_criterion_by_key_and_rows_come_in_the_order_of_their_numbers():
    values = toolkit_values()
    # The first criterion moved to the end, the first question below the last one: their fields come under later
    # numbers, their keys stay.
    for field in ("key", "name", "definition"):
        values[f"criteria-9-{field}"] = values.pop(f"criteria-0-{field}")
    for field in ("key", "text", "criterion", "answer", "options", "scale_from", "scale_to"):
        values[f"instruments-0-items-7-{field}"] = values.pop(f"instruments-0-items-0-{field}")
    data, errors = toolkit_from_form(values)
    assert errors == []
    assert [row["key"] for row in data["criteria"]] == ["c1", "c2", "c3", "c0"]
    assert [item["key"] for item in data["instruments"][0]["items"]] == ["q1", "q2", "q3", "q4", "q0"]
    assert data["instruments"][0]["items"][-1]["criterion"] == "c0"
    assert toolkit_problems(data) == []


def test_empty_rows_are_dropped_whatever_their_key_type_or_answer_say():
    values = toolkit_values(
        **{
            "criteria-4-key": "c4",
            "criteria-4-name": " ",
            "instruments-2-key": "i2",
            "instruments-2-type": "observation",
            "instruments-0-items-5-key": "q5",
            "instruments-0-items-5-answer": "scale",
            "instruments-0-items-5-scale_from": "1",
            "instruments-0-items-5-scale_to": "5",
            "instruments-0-items-5-anchor-1": "",
        }
    )
    data, errors = toolkit_from_form(values)
    assert errors == []
    assert len(data["criteria"]) == 4
    assert len(data["instruments"]) == 2
    assert len(data["instruments"][0]["items"]) == 5


def test_an_instrument_whose_items_hold_text_is_kept_before_it_has_a_title():
    values = without("instruments-1")
    values |= {"instruments-1-items-0-text": "Бірінші бақылау", "instruments-1-items-0-criterion": "c0"}
    data, errors = toolkit_from_form(values)
    assert errors == []
    (_questionnaire, new) = data["instruments"]
    assert (new["title"], new["type"], [item["text"] for item in new["items"]]) == (
        "",
        "questionnaire",
        ["Бірінші бақылау"],
    )
    assert new["key"].startswith("i") and new["items"][0]["key"].startswith("q")


def test_a_malformed_or_repeated_key_is_replaced_and_an_unknown_link_dropped():
    data = parsed(
        **{
            "criteria-1-key": "C-1!",
            "instruments-1-key": "i0",
            "instruments-0-items-1-key": "",
            "instruments-0-items-2-criterion": "c9",
        }
    )
    keys = [row["key"] for row in data["criteria"]]
    assert keys[0] == "c0" and keys[1] not in ("C-1!", "c1") and keys[1].startswith("c")
    assert data["instruments"][0]["key"] == "i0"
    assert data["instruments"][1]["key"] != "i0" and data["instruments"][1]["key"].startswith("i")
    assert data["instruments"][0]["items"][1]["key"].startswith("q")
    # Item 2 pointed at the criterion whose key was malformed; item 3 at one that does not exist.
    assert data["instruments"][0]["items"][1]["criterion"] == ""
    assert data["instruments"][0]["items"][2]["criterion"] == ""


def test_an_unknown_type_answer_or_category_falls_back_to_the_default():
    data = parsed(
        **{
            "category": "aliens",
            "category_other": "Бөтен",
            "instruments-1-type": "survey",
            "instruments-0-items-1-answer": "essay",
        }
    )
    assert (data["category"], data["category_other"]) == ("", "")
    assert data["instruments"][1]["type"] == "questionnaire"
    assert data["instruments"][0]["items"][1]["answer"] == "open"


def test_the_named_other_category_is_kept_only_while_other_is_chosen():
    assert parsed(category="other", category_other="Жасөспірім аналар")["category_other"] == "Жасөспірім аналар"
    assert parsed(category="children", category_other="Жасөспірім аналар")["category_other"] == ""


def test_options_are_one_per_line_and_blank_lines_are_dropped():
    data = parsed(**{"instruments-0-items-0-options": "\r\n  Жалғыз \r\n\r\nЖұбайыммен\n   \n"})
    assert data["instruments"][0]["items"][0]["options"] == ["Жалғыз", "Жұбайыммен"]


def test_anchors_outside_the_range_are_dropped_and_a_blank_range_is_one_to_five():
    data = parsed(
        **{
            "instruments-1-items-0-scale_from": "0",
            "instruments-1-items-0-scale_to": "3",
            "instruments-1-items-0-anchor-0": "мүлде жоқ",
            "instruments-1-items-1-scale_from": "",
            "instruments-1-items-1-scale_to": "",
            "instruments-1-items-1-anchor-7": "тыс",
        }
    )
    first, second = data["instruments"][1]["items"][:2]
    assert (first["scale_from"], first["scale_to"]) == (0, 3)
    assert first["anchors"] == {"0": "мүлде жоқ", "1": "ешқашан", "3": "кейде"}
    assert (second["scale_from"], second["scale_to"]) == (1, 5)
    assert second["anchors"] == {"1": "ешқашан", "3": "кейде", "5": "әрқашан"}


@pytest.mark.parametrize(
    ("scale_from", "scale_to"),
    [("5", "5"), ("4", "2"), ("1", "11"), ("-1", "5"), ("бір", "5"), ("1.5", "5")],
)
def test_a_scale_that_does_not_run_upwards_within_zero_to_ten_is_a_message(scale_from, scale_to):
    values = toolkit_values(
        **{"instruments-1-items-2-scale_from": scale_from, "instruments-1-items-2-scale_to": scale_to}
    )
    _data, errors = toolkit_from_form(values)
    assert errors == [
        "The scale of item 3 of instrument 2 must run from a lower to a higher whole number, both from 0 to 10."
    ]


def test_the_range_of_an_item_that_is_not_a_scale_is_not_read():
    data = parsed(**{"instruments-0-items-1-scale_from": "9", "instruments-0-items-1-scale_to": "2"})
    assert data["instruments"][0]["items"][1]["scale_from"] is None


def test_too_many_rows_or_options_are_messages_and_nothing_is_cut():
    values = toolkit_values()
    for index in range(4, MAX_CRITERIA + 1):
        values |= {f"criteria-{index}-name": f"Өлшем {index}", f"criteria-{index}-definition": "…"}
    data, errors = toolkit_from_form(values)
    assert errors == ["There can be at most 30 criteria."]
    assert len(data["criteria"]) == MAX_CRITERIA + 1

    values = toolkit_values()
    for index in range(2, MAX_INSTRUMENTS + 1):
        values[f"instruments-{index}-title"] = f"Құрал {index}"
    assert toolkit_from_form(values)[1] == ["There can be at most 10 instruments."]

    values = toolkit_values()
    for index in range(5, MAX_ITEMS + 1):
        values[f"instruments-0-items-{index}-text"] = f"Сұрақ {index}"
    assert toolkit_from_form(values)[1] == ["Instrument 1 has more than 60 items."]

    options = "\n".join(f"Нұсқа {index}" for index in range(MAX_OPTIONS + 1))
    data, errors = toolkit_from_form(toolkit_values(**{"instruments-0-items-3-options": options}))
    assert errors == ["Item 4 of instrument 1 has more than 20 options."]
    assert len(data["instruments"][0]["items"][3]["options"]) == MAX_OPTIONS + 1


def test_exactly_the_limits_are_allowed():
    values = toolkit_values()
    for index in range(4, MAX_CRITERIA):
        values |= {f"criteria-{index}-name": "ә" * MAX_NAME, f"criteria-{index}-definition": "ә" * MAX_TEXT}
    options = "\n".join(f"Нұсқа {index}" for index in range(MAX_OPTIONS))
    values["instruments-0-items-3-options"] = options
    assert toolkit_from_form(values)[1] == []


@pytest.mark.parametrize(
    ("field", "length", "expected"),
    [
        ("criteria-1-name", MAX_NAME + 1, "A text of “criterion 2” is longer than 200 characters."),
        ("criteria-1-definition", MAX_TEXT + 1, "A text of “criterion 2” is longer than 2000 characters."),
        ("instruments-1-title", MAX_NAME + 1, "A text of “instrument 2” is longer than 200 characters."),
        ("instruments-0-instructions", MAX_TEXT + 1, "A text of “instrument 1” is longer than 2000 characters."),
        ("instruments-0-items-2-text", MAX_TEXT + 1,
         "A text of “item 3 of instrument 1” is longer than 2000 characters."),
        ("instruments-1-items-0-anchor-5", MAX_NAME + 1,
         "A text of “item 1 of instrument 2” is longer than 200 characters."),
    ],
)  # fmt: skip
def test_a_text_over_its_limit_is_a_message_and_kept_whole(field, length, expected):
    data, errors = toolkit_from_form(toolkit_values(**{field: "ә" * length}))
    assert errors == [expected]
    assert "ә" * length in str(data)


def test_the_named_other_category_over_its_limit_is_a_message():
    _data, errors = toolkit_from_form(toolkit_values(category="other", category_other="ә" * (MAX_NAME + 1)))
    assert errors == ["A text of “the client category” is longer than 200 characters."]


# The checks before hand-in ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "part", "expected"),
    [
        ({"category": ""}, "category", "Choose the client category the toolkit is for."),
        ({"category": "other"}, "category", "Name the client category the toolkit is for."),
        ({"criteria-1-name": ""}, "criteria", "Criterion 2 needs a name."),
        ({"criteria-1-definition": ""}, "criteria", "Criterion 2 “Денсаулығы” needs a short definition."),
        ({"instruments-1-type": "questionnaire"}, "instruments",
         "The instruments must be of at least two different types."),
        ({"instruments-1-title": ""}, "instruments", "Instrument 2 needs a title."),
        ({"instruments-0-instructions": ""}, "instruments",
         "Instrument 1 “Қарт адамның әлеуметтік тарихы: сауалнама” needs instructions for the practitioner."),
        ({"instruments-1-items-0-text": ""}, "instruments",
         "Item 1 of instrument 2 “Өмір сүру сапасын бағалау шкаласы” has no text."),
        ({"instruments-0-items-1-criterion": ""}, "instruments",
         "Item 2 of instrument 1 “Қарт адамның әлеуметтік тарихы: сауалнама” serves no criterion: choose one."),
        ({"instruments-0-items-3-options": "Үйде күтім\n\n"}, "instruments",
         "Item 4 of instrument 1 “Қарт адамның әлеуметтік тарихы: сауалнама” needs at least two options to choose "
         "from."),
        ({"instruments-1-items-2-anchor-5": ""}, "instruments",
         "Item 3 of instrument 2 “Өмір сүру сапасын бағалау шкаласы” needs labels at both ends of its scale "
         "(1 and 5)."),
        ({"instruments-1-items-2-scale_to": "4"}, "instruments",
         "Item 3 of instrument 2 “Өмір сүру сапасын бағалау шкаласы” needs labels at both ends of its scale "
         "(1 and 4)."),
        ({"instruments-0-items-4-criterion": "c0", "instruments-1-items-0-criterion": "c0"}, "coverage",
         "No item serves the criterion “Әлеуметтік байланыстары”: link at least one item to it."),
    ],
)  # fmt: skip
def test_each_failing_check_is_its_own_message(changes, part, expected):
    problems = toolkit_problems(parsed(**changes))
    assert [(problem.part, problem.message) for problem in problems] == [(part, expected)]


def test_a_named_other_category_passes():
    assert toolkit_problems(parsed(category="other", category_other="Жасөспірім аналар")) == []


def test_one_instrument_is_not_enough():
    data, _errors = toolkit_from_form(without("instruments-1"))
    assert messages_of(data) == ["Build at least two instruments."]


def test_an_instrument_needs_three_items_and_three_are_enough():
    values = without("instruments-1-items-3", without("instruments-1-items-2"))
    data, _errors = toolkit_from_form(values)
    assert messages_of(data) == ["Instrument 2 “Өмір сүру сапасын бағалау шкаласы” needs at least 3 items."]
    data, _errors = toolkit_from_form(without("instruments-1-items-3"))
    assert messages_of(data) == []


def test_fewer_than_three_criteria_is_refused_and_three_are_enough():
    data = parsed()
    data["criteria"] = data["criteria"][:3]
    for instrument in data["instruments"]:
        for item in instrument["items"]:
            item["criterion"] = "c0" if item["criterion"] == "c3" else item["criterion"]
    assert messages_of(data) == []
    data["criteria"] = data["criteria"][:2]
    for instrument in data["instruments"]:
        for item in instrument["items"]:
            item["criterion"] = "c0" if item["criterion"] == "c2" else item["criterion"]
    assert messages_of(data) == ["Define at least 3 social-history criteria."]


def test_an_empty_toolkit_lists_what_is_missing_part_by_part():
    problems = toolkit_problems({})
    assert [(problem.part, problem.message) for problem in problems] == [
        ("category", "Choose the client category the toolkit is for."),
        ("criteria", "Define at least 3 social-history criteria."),
        ("instruments", "Build at least two instruments."),
    ]


def test_a_link_to_a_criterion_that_is_gone_counts_as_no_link():
    data = parsed()
    data["instruments"][0]["items"][1]["criterion"] = "gone"
    assert messages_of(data) == [
        "Item 2 of instrument 1 “Қарт адамның әлеуметтік тарихы: сауалнама” serves no criterion: choose one."
    ]


# Coverage and scoring sheets --------------------------------------------------------------------------------------


def test_the_coverage_table_counts_the_items_of_each_criterion_in_each_instrument():
    table = coverage(parsed())
    assert table["instruments"] == [
        {"key": "i0", "title": "Қарт адамның әлеуметтік тарихы: сауалнама", "type_label": "Questionnaire", "number": 1},
        {"key": "i1", "title": "Өмір сүру сапасын бағалау шкаласы", "type_label": "Rating scale", "number": 2},
    ]
    assert [(row["number"], row["criterion"]["key"], row["counts"], row["total"]) for row in table["rows"]] == [
        (1, "c0", [1, 1], 2),
        (2, "c1", [1, 1], 2),
        (3, "c2", [2, 1], 3),
        (4, "c3", [1, 1], 2),
    ]
    assert (table["unserved"], table["unlinked"]) == ([], 0)


def test_the_coverage_table_names_the_unserved_criteria_and_counts_the_unlinked_items():
    data = parsed(
        **{
            "instruments-0-items-4-criterion": "",
            "instruments-1-items-0-criterion": "",
            "instruments-1-items-1-criterion": "c2",
        }
    )
    table = coverage(data)
    assert [row["total"] for row in table["rows"]] == [1, 2, 4, 0]
    assert [criterion["name"] for criterion in table["unserved"]] == ["Әлеуметтік байланыстары"]
    assert table["unlinked"] == 2


def test_a_rating_scale_has_a_scoring_sheet_summing_its_items_per_criterion():
    data = parsed(
        **{
            "instruments-1-items-4-key": "s4",
            "instruments-1-items-4-text": "Пәтерім жылы әрі таза",
            "instruments-1-items-4-criterion": "c2",
            "instruments-1-items-4-answer": "scale",
            "instruments-1-items-4-scale_from": "0",
            "instruments-1-items-4-scale_to": "10",
            "instruments-1-items-4-anchor-0": "мүлде келіспеймін",
            "instruments-1-items-4-anchor-10": "толық келісемін",
        }
    )
    (sheet,) = scoring_sheets(data)
    assert (sheet["number"], sheet["instrument"]["key"]) == (2, "i1")
    assert [(row["criterion"]["key"], row["items"], row["lowest"], row["highest"]) for row in sheet["rows"]] == [
        ("c0", [2], 1, 5),
        ("c1", [3], 1, 5),
        ("c2", [4, 5], 1, 15),
        ("c3", [1], 1, 5),
    ]


def test_only_rating_scales_with_scale_items_have_scoring_sheets():
    # A scale item in the questionnaire gives it no sheet; a rating scale of other answers has none either.
    data = parsed(
        **{
            "instruments-0-items-1-answer": "scale",
            "instruments-0-items-1-scale_from": "1",
            "instruments-0-items-1-scale_to": "3",
        }
    )
    assert [sheet["instrument"]["key"] for sheet in scoring_sheets(data)] == ["i1"]
    data = parsed(**{f"instruments-1-items-{index}-answer": "yes_no" for index in range(4)})
    assert scoring_sheets(data) == []


def test_items_serving_no_criterion_yet_make_the_last_row_of_the_sheet():
    # A draft's: the sheet's rows still hold every scale item, so its total is the whole scale's.
    (sheet,) = scoring_sheets(parsed(**{"instruments-1-items-1-criterion": ""}))
    assert [(row["criterion"] and row["criterion"]["key"], row["items"]) for row in sheet["rows"]] == [
        ("c1", [3]),
        ("c2", [4]),
        ("c3", [1]),
        (None, [2]),
    ]
    assert sum(row["highest"] for row in sheet["rows"]) == 20


# Labels and helpers -----------------------------------------------------------------------------------------------


def test_the_category_label_is_the_lists_or_the_named_one():
    assert category_label(parsed()) == "Elderly people"
    assert category_label(parsed(category="other", category_other="Жасөспірім аналар")) == "Жасөспірім аналар"
    assert category_label(parsed(category="")) == ""


def test_a_partial_copy_is_normalised_down_to_its_items():
    data = normalised({"instruments": [{"title": "Ескі", "items": [{"text": "Сұрақ"}]}]})
    assert data["category"] == "" and data["criteria"] == []
    (instrument,) = data["instruments"]
    assert (instrument["type"], instrument["instructions"]) == ("questionnaire", "")
    assert instrument["items"][0] | {"text": "Сұрақ"} == instrument["items"][0]
    assert (instrument["items"][0]["answer"], instrument["items"][0]["anchors"]) == ("open", {})


def test_the_points_of_a_scale_carry_their_anchors():
    item = parsed()["instruments"][1]["items"][0]
    assert [(point["point"], point["anchor"]) for point in scale_points(item)] == [
        (1, "ешқашан"),
        (2, ""),
        (3, "кейде"),
        (4, ""),
        (5, "әрқашан"),
    ]
    assert scale_points(parsed()["instruments"][0]["items"][0]) == []


def test_a_scale_without_a_range_in_a_copy_is_a_problem():
    data = parsed()
    data["instruments"][1]["items"][0] |= {"scale_from": None, "scale_to": None, "anchors": {}}
    assert messages_of(data) == [
        "Item 1 of instrument 2 “Өмір сүру сапасын бағалау шкаласы” needs a scale from a lower to a higher point."
    ]
