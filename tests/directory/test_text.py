"""How the directory compares names (directory/text.py): the merge key and the search's folding, in Python."""

from directory.text import city_key, distinct_texts, merge_key, organisation_key, search_fold, search_words


def test_kazakh_spellings_that_differ_only_in_case_and_quotes_share_a_key():
    assert organisation_key("«Ақ жүрек» қоры") == organisation_key('"АҚ ЖҮРЕК" ҚОРЫ') == "ақ жүрек қоры"


def test_russian_spellings_that_differ_only_in_case_quotes_and_spacing_share_a_key():
    spellings = ["Фонд «Ёлка»", "ФОНД “ЕЛКА”", "фонд  'Ёлка'", "Фонд «ЁЛКА» "]
    assert {organisation_key(name) for name in spellings} == {"фонд елка"}


def test_punctuation_is_dropped_but_kazakh_letters_are_kept():
    assert organisation_key("ҚБ «Үміт-Шұғыла»!") == "қб үміт шұғыла"
    assert organisation_key("Үміт") != organisation_key("Умит")


def test_a_city_named_with_a_word_for_city_is_the_city():
    assert {city_key(city) for city in ["Алматы", "г. Алматы", "Алматы қ.", "АЛМАТЫ ҚАЛАСЫ", "город Алматы"]} == {
        "алматы"
    }
    assert city_key("Қала") == "қала"  # a settlement that is only the word stays itself


def test_the_merge_key_joins_organisation_and_city():
    assert merge_key("«Ақ жүрек» қоры", "г. Алматы") == merge_key('"АҚ ЖҮРЕК" ҚОРЫ', "Алматы")
    assert merge_key("«Ақ жүрек» қоры", "Астана") != merge_key("«Ақ жүрек» қоры", "Алматы")


def test_the_search_folds_case_and_reads_kazakh_letters_as_russian_ones():
    assert search_fold("Әсел ҚОРЫ") == search_fold("әсел қоры") == "асел коры"
    assert search_words("«Жүрек», ҮМІТ!") == ["журек", "умит"]


def test_search_words_hold_letters_and_digits_only():
    assert search_words("a:* | b & c' (d) <-> e_f") == ["a", "b", "c", "d", "e", "f"]


def test_distinct_texts_keep_the_first_spelling_and_put_the_most_common_first():
    texts = ["Баспана", "Кеңес беру", "КЕҢЕС  БЕРУ", "кеңес беру.", ""]
    assert distinct_texts(texts) == ["Кеңес беру", "Баспана"]
    assert distinct_texts(texts, 1) == ["Кеңес беру"]
