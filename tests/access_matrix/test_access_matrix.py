"""Every page of the portal, asked for by each actor of the cast: what each gets is what the table says.

The table (table_pages.py, table_grading.py; table_crossings.py adds variants) has a row for every named URL
pattern the resolver holds (Django's admin aside: the last test here); a page added without a row, or a row left
for a page that is gone, fails the first tests here. Each (row, method, actor) is its own test. A POST the actor
may not make must leave the database, the stored files and the mail as they were; a POST the actor may make must
not fail (and, unless the row says why not, must change something, so that the refused actors' "nothing changed"
is about a request that would have done something).
"""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from tests.access_matrix.matrix import CASES, ROWS, named_patterns
from tests.access_matrix.rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, POST
from tests.access_matrix.state import changed_parts, database_state, outside_state
from tests.access_matrix.world import ACTORS

STATUS_OUTCOMES = {200: OK, 403: FORBIDDEN, 404: NOT_FOUND}


def outcome_of(response):
    """What the actor got: a page, the sign-in page, 403 or 404 (anything else is named by its status)."""
    if response.status_code == 302:
        return LOGIN if urlsplit(response["Location"]).path == reverse("login") else OK
    return STATUS_OUTCOMES.get(response.status_code, f"status {response.status_code}")


def request(client, row, method, world):
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    response = client.post(url, row.body(world) if row.body else {}) if method == POST else client.get(url)
    if response.streaming:
        # A download that fails half-way fails here, not in a browser. The test client closes the response when
        # it is read to the end (closing it again would send request_finished, which closes the connection).
        b"".join(response.streaming_content)
    return url, response


# The table covers the resolver ------------------------------------------------------------------------------------


def test_every_named_page_of_the_resolver_has_a_row():
    missing = set(named_patterns()) - {row.name for row in ROWS}
    assert not missing, f"pages without a row in the access table: {sorted(missing)}"


def test_every_row_names_a_page_that_still_exists():
    gone = {row.name for row in ROWS} - set(named_patterns())
    assert not gone, f"rows for pages the resolver no longer has: {sorted(gone)}"


def test_each_row_is_told_apart_from_the_others():
    idents = [row.ident for row in ROWS]
    assert len(idents) == len(set(idents))


def test_every_row_says_what_every_actor_gets():
    for row in ROWS:
        assert set(row.expected) == set(ACTORS), row.ident
        assert POST not in row.methods or row.expected["anonymous"] in (LOGIN, OK), row.ident


# The matrix -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "method", "actor"), CASES, ids=[f"{row.ident}-{method}-{actor}" for row, method, actor in CASES]
)
def test_each_actor_gets_what_the_table_says(client, world, world_state, actors, matrix_media, row, method, actor):
    if actors[actor] is not None:
        client.force_login(actors[actor])
    expected = row.expected[actor]
    before = {**world_state, **outside_state(matrix_media)}
    url, response = request(client, row, method, world)
    got = outcome_of(response)
    assert got == expected, f"{method} {url} as {actor}: expected {expected}, got {got} ({response.status_code})"
    if method != POST:
        return
    changed = changed_parts(before, {**database_state(), **outside_state(matrix_media)})
    if expected != OK or not row.changes:
        assert not changed, f"{method} {url} as {actor} ({got}) changed {changed}"
    elif not row.changed_by or actor in row.changed_by:
        assert changed, f"{method} {url} as {actor} was let in but changed nothing: is the row's body right?"


# Methods and Django's admin ---------------------------------------------------------------------------------------

POST_ONLY = [row for row in ROWS if row.methods == (POST,)]


@pytest.mark.parametrize("row", POST_ONLY, ids=[row.ident for row in POST_ONLY])
def test_a_page_that_takes_only_posts_refuses_a_get_and_changes_nothing(client, world, world_state, actors, row):
    allowed = next((actor for actor in ACTORS if row.expected[actor] == OK), "anonymous")
    if actors[allowed] is not None:
        client.force_login(actors[allowed])
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    assert client.get(url).status_code == 405, url
    assert not changed_parts(world_state, database_state())


@pytest.mark.parametrize("actor", ACTORS)
def test_django_admin_refuses_everyone_of_the_cast(client, world, world_state, actors, actor):
    """None of the cast is staff: the admin's pages send each of them to the admin's own sign-in, and its forms
    change nothing."""
    if actors[actor] is not None:
        client.force_login(actors[actor])
    admin_login = reverse("admin:login")
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and urlsplit(response["Location"]).path == admin_login, url
    add = client.post(reverse("admin:accounts_user_add"), {"username": "intruder", "password1": "x", "password2": "x"})
    assert add.status_code == 302 and urlsplit(add["Location"]).path == admin_login
    assert not changed_parts(world_state, database_state())
