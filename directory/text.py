"""How the directory compares and searches the names students type, in Python: SQLite folds the case of Latin
letters only, so every folded form is computed here and stored in a column the database compares as it is.

- ``merge_key``: two rows describe the same organisation when their names and their cities are equal after
  folding case (``casefold``; "ё" counts as "е"), dropping quotes («» “” " ') and other punctuation, and
  collapsing spaces; Kazakh and Russian letters are kept as they are. A city written as "г. Алматы" or
  "Алматы қ." is the city "Алматы".
- ``search_fold``: what a search compares, on both sides: the same folding, and besides each Kazakh letter read
  as the Russian letter typed for it on a Russian keyboard (ә → а, қ → к, ү → у …), so "журек" finds "Жүрек".
"""

import re
import unicodedata
from collections import Counter

# Quotes of every kind, punctuation and symbols: anything that is neither a letter, a digit nor a space.
NOT_A_WORD = re.compile(r"[^\w\s]|_")
# "г. Алматы", "город Алматы", "Алматы қ.", "Алматы қаласы": words naming a settlement a city, not the city.
CITY_WORDS = {"г", "гор", "город", "қ", "қала", "қаласы"}
KAZAKH_AS_RUSSIAN = str.maketrans("әғқңөұүһі", "агкноуухи")
KEY_SEPARATOR = " | "


def tidy(text):
    """``text`` as it is shown: spaces collapsed, nothing else changed."""
    return " ".join(str(text).split())


def _folded_words(text):
    text = unicodedata.normalize("NFKC", str(text)).casefold().replace("ё", "е")
    return NOT_A_WORD.sub(" ", text).split()


def organisation_key(name):
    """The organisation's name as two rows are compared: «Ақ жүрек» қоры and "АҚ ЖҮРЕК" ҚОРЫ give ақ жүрек қоры."""
    return " ".join(_folded_words(name))


def city_key(city):
    """The city as two rows are compared: "г. Алматы", "Алматы қ." and "АЛМАТЫ" give алматы."""
    words = _folded_words(city)
    while len(words) > 1 and words[0] in CITY_WORDS:
        words.pop(0)
    while len(words) > 1 and words[-1] in CITY_WORDS:
        words.pop()
    return " ".join(words)


def merge_key(organisation, city):
    """One organisation in one city: the rows of every student that share this key become one directory entry."""
    return f"{organisation_key(organisation)}{KEY_SEPARATOR}{city_key(city)}"


def search_fold(text):
    """``text`` as a search compares it: folded as the merge key folds it, Kazakh letters read as Russian ones."""
    return " ".join(_folded_words(text)).translate(KAZAKH_AS_RUSSIAN)


def search_words(text):
    """The words of a query as the search looks for them (letters and digits only, so they are safe in a tsquery)."""
    return search_fold(text).split()


def distinct_texts(values, limit=None):
    """The distinct texts among ``values`` (compared as a search compares them), the most frequent first, each as
    first written; at most ``limit``."""
    counts, shown = Counter(), {}
    for value in values:
        text = tidy(value)
        if text:
            folded = search_fold(text)
            counts[folded] += 1
            shown.setdefault(folded, text)
    return [shown[folded] for folded, _count in counts.most_common(limit)]
