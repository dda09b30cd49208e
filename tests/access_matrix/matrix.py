"""The whole table, the URL patterns it must cover, and the cases the matrix tries."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.access_matrix import table_crossings, table_grading, table_pages
from tests.access_matrix.world import ACTORS

ROWS = table_pages.ROWS + table_grading.ROWS + table_crossings.ROWS

# Django's admin checks is_staff itself on every page of its own (none of the cast is staff);
# test_access_matrix.py checks that its pages refuse them all, rather than the table listing its hundred names.
SKIPPED_NAMESPACES = ("admin",)


def named_patterns(resolver=None, namespace=""):
    """The full name of every pattern the resolver holds, namespaces followed; an unnamed one by its route."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"(unnamed: {pattern.pattern})"


CASES = [(row, method, actor) for row in ROWS for method in row.methods for actor in ACTORS]
