"""The plan as data: reading a page's form, the checks before hand-in, and what counts as personal data."""

import datetime as dt

import pytest

from caseplans.identifiers import FORBIDDEN_IN_PLAN, Kind, personal_data
from caseplans.plan import MAX_ROWS, MAX_TEXT, SECTION_ORDER, plan_from_form, plan_problems
from tests.caseplans.conftest import plan_values

TERM = {"start": dt.date(2025, 9, 1), "end": dt.date(2025, 12, 14)}


def problems_of(values):
    plan, errors = plan_from_form(values)
    assert errors == []
    return [problem.message for problem in plan_problems(plan, **TERM)]


def test_a_complete_plan_has_no_problems():
    assert problems_of(plan_values()) == []


def test_rows_are_read_in_the_order_of_their_numbers_and_empty_rows_are_dropped():
    plan, _errors = plan_from_form(
        {
            "problems-10-text": "Үшінші",
            "problems-2-text": "Екінші",
            "problems-0-text": "Бірінші",
            "problems-5-text": "   ",
            "goals-0-key": "gempty",  # a key alone is not a goal
        }
    )
    assert [row["text"] for row in plan["problems"]] == ["Бірінші", "Екінші", "Үшінші"]
    assert plan["goals"] == []


def test_a_goal_without_a_usable_key_gets_one_and_unknown_fields_are_ignored():
    plan, _errors = plan_from_form({"goals-0-key": "<script>", "goals-0-text": "Мақсат", "goals-0-colour": "red"})
    (goal,) = plan["goals"]
    assert goal["key"] != "<script>" and goal["key"].startswith("g")
    assert "colour" not in goal


def test_an_unknown_responsible_and_a_non_numeric_entry_are_kept_as_empty():
    plan, _errors = plan_from_form(
        {"interventions-0-action": "Жолдау", "interventions-0-responsible": "mayor", "referrals-0-entry": "1 OR 1"}
    )
    assert plan["interventions"][0]["responsible"] == ""
    assert plan["referrals"] == []  # nothing else in the row: it was empty


def test_a_text_over_its_limit_or_too_many_rows_is_a_message_naming_the_section():
    _plan, errors = plan_from_form({"history": "ә" * (MAX_TEXT + 1)})
    assert errors == [f"“Әлеуметтік тарих” {MAX_TEXT} таңбадан ұзын."]
    _plan, errors = plan_from_form({f"problems-{n}-text": "Мәселе" for n in range(MAX_ROWS + 1)})
    assert len(errors) == 1 and str(MAX_ROWS) in errors[0]


def test_line_ends_are_kept_as_newlines_and_spaces_around_texts_dropped():
    plan, _errors = plan_from_form({"profile": "  Бірінші жол\r\nЕкінші жол  "})
    assert plan["profile"] == "Бірінші жол\nЕкінші жол"


def test_every_empty_section_is_named():
    messages = problems_of({})
    assert len(messages) == len(SECTION_ORDER)
    assert "Кем дегенде бір мақсат қосыңыз." in messages


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"goals-1-indicator": ""}, "2-мақсаттың өлшенетін көрсеткіші жоқ."),
        ({"goals-0-target": "2026-01-20"}, "1-мақсатқа семестр ішіндегі мерзім керек"),
        ({"goals-0-target": "2025-08-31"}, "1-мақсатқа семестр ішіндегі мерзім керек"),
        ({"goals-0-target": "ертең"}, "1-мақсатқа семестр ішіндегі мерзім керек"),
        ({"interventions-2-goal": "gone"}, "3-іс-шара қай мақсатқа қызмет ететінін көрсетпейді."),
        ({"interventions-2-agency": ""}, "3-іс-шара: жауапты мекемені атаңыз."),
        ({"interventions-0-due": ""}, "1-іс-шараға орындалу мерзімі керек."),
        ({"referrals-1-organisation": ""}, "2-жолдама: анықтамалықтан ұйымды таңдаңыз немесе оны жазыңыз."),
        ({"reviews-0-date": ""}, "1-шолуға күн керек."),
    ],
)
def test_each_failing_check_is_its_own_message(changes, expected):
    messages = problems_of(plan_values(**changes))
    assert len(messages) == 1
    assert messages[0].startswith(expected)


def test_the_term_boundaries_themselves_are_inside_the_term():
    assert problems_of(plan_values(**{"goals-0-target": "2025-09-01", "goals-1-target": "2025-12-14"})) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ЖСН: 850315400123", Kind.IIN),
        ("ИИН 850315 400123 деп жазылған", Kind.IIN),
        ("Телефоны +7 701 234 56 78", Kind.PHONE),
        ("8 (727) 234-56-78 нөміріне", Kind.PHONE),
        ("поштасы aigul.k@mail.kz", Kind.EMAIL),
        ("Абай даңғылы 150 үйде", Kind.ADDRESS),
        ("ул. Толе би, 45", Kind.ADDRESS),
        ("5-пәтерде тұрады", Kind.ADDRESS),
    ],
)
def test_personal_data_is_found_by_kind(text, kind):
    assert [finding.kind for finding in personal_data(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    ["Ол 45 жаста, 2019 жылдан бері жұмыссыз.", "3 баласы бар; айына 120 000 теңге табыс.", "2025 жылғы 15 қазан"],
)
def test_ages_years_and_sums_are_not_personal_data(text):
    assert personal_data(text) == []


def test_a_warning_shows_only_the_ends_of_what_it_found():
    (finding,) = personal_data("ЖСН 850315400123")
    assert finding.shown == "85…23"


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("profile", "ЖСН 850315400123"),
        ("goals-0-indicator", "+7 701 234 56 78 нөміріне хабарласады"),
        ("referrals-1-purpose", "aigul@mail.kz арқылы"),
    ],
)
def test_a_plan_with_an_iin_a_phone_or_an_email_cannot_be_handed_in(field, text):
    messages = problems_of(plan_values(**{field: text}))
    assert len(messages) == 1
    assert "жеке деректерсіз" in messages[0]
    # The message shows only the ends of what it found, not the number itself.
    assert not any(whole in messages[0] for whole in ("850315400123", "234 56 78", "aigul@mail.kz"))


def test_an_address_in_a_plan_does_not_stop_the_hand_in():
    assert Kind.ADDRESS not in FORBIDDEN_IN_PLAN
    assert problems_of(plan_values(profile="Абай даңғылы 150 үйдің маңында тұрады.")) == []


@pytest.mark.parametrize("value", ["²", "٣", "12a", "9" * 25, "-4"])
def test_a_referral_entry_that_is_not_a_short_ascii_number_is_no_entry(value):
    plan, errors = plan_from_form({"referrals-0-entry": value, "referrals-0-purpose": "Кеңес"})
    assert errors == []
    assert plan["referrals"][0]["entry"] is None


def test_a_nul_character_is_dropped_from_every_text():
    plan, _errors = plan_from_form({"profile": "Әйел\x00, 34 жаста", "goals-0-text": "Баспана\x00"})
    assert plan["profile"] == "Әйел, 34 жаста"
    assert plan["goals"][0]["text"] == "Баспана"
