"""Finding entries in a department's directory: free text and filters, the same on the page and in the export.

On PostgreSQL an entry matches when its folded search text (``directory.text.search_fold``) holds every word of
the query as the prefix of a word (full text, ``'simple'`` configuration: there is no Kazakh dictionary); when no
entry does, the query is taken as misspelt and the entries whose folded names and city are similar to it word by
word match (trigrams, ``pg_trgm``), the most similar first. (Both at once would cost a trigram comparison with
every entry the full text leaves out: half a second over 50,000 entries.) Elsewhere (SQLite) every word of the
query must occur in the folded text. Entries whose names hold the query as typed come first, then the most
listed (ranking full-text matches with ``ts_rank`` instead cost 80 ms for a word found in a third of 50,000
entries).
"""

from django.contrib.postgres.search import SearchQuery, TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, Value, When

from directory.models import Entry
from directory.text import distinct_texts, search_words
from portfolio.models import ClientCategory, RepositoryRow


def _search_postgresql(entries, text):
    words = search_words(text)
    query = SearchQuery(" & ".join(f"{word}:*" for word in words), config="simple", search_type="raw")
    matched = entries.filter(search_vector=query)
    # Counted, not asked whether one exists: EXISTS makes the planner scan the table hoping for an early match,
    # while a count of a full-text condition goes through its index.
    if matched.count():
        return matched.alias(in_name=_name_holds(" ".join(words))).order_by("-in_name", "-student_count", "key")
    folded = " ".join(words)
    return (
        entries.filter(name_text__trigram_word_similar=folded)
        .annotate(relevance=TrigramWordSimilarity(folded, "name_text"))
        .order_by("-relevance", "-student_count", "key")
    )


def _search_plain(entries, text):
    words = search_words(text)
    for word in words:
        entries = entries.filter(search_text__contains=word)
    return entries.alias(in_name=_name_holds(" ".join(words))).order_by("-in_name", "-student_count", "key")


def _name_holds(folded):
    """1 when the entry's names (or city) hold the query as written, so that "ақ жүрек" puts the «Ақ жүрек» fund
    before an entry on Ақ жүрек street."""
    return Case(When(name_text__contains=folded, then=Value(1)), default=Value(0), output_field=IntegerField())


def entries_found(*, department_id, include_hidden, text="", category="", region="", organisation_type="", cost=""):
    """The department's entries that match the text and every filter given (an empty filter matches all)."""
    entries = Entry.objects.of_department(department_id)
    if not include_hidden:
        entries = entries.shown()
    if category:
        entries = entries.in_category(category)
    chosen = {"region": region, "organisation_type": organisation_type, "cost": cost}
    entries = entries.filter(**{field: value for field, value in chosen.items() if value})
    if search_words(text):
        search = _search_postgresql if connection.vendor == "postgresql" else _search_plain
        entries = search(entries, text)
    return entries.prefetch_related("categories")


def entry_offers(entry):
    """What the entry offers each client category, from its rows: [(category label, [distinct services])] in the
    categories' order, and the distinct sources the students named."""
    rows = list(
        RepositoryRow.objects.filter(directory_listing__entry=entry, version__is_latest=True)
        .only("client_category", "services", "source")
        .order_by("-version__submitted_at", "-version_id", "line")
    )
    labels = dict(ClientCategory.choices)
    offers = [
        (labels[category], distinct_texts(row.services for row in rows if row.client_category == category))
        for category in ClientCategory.values
        if any(row.client_category == category for row in rows)
    ]
    return offers, distinct_texts(row.source for row in rows)
