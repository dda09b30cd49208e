"""The matrix's world, built once per module on top of the module's cast; its files; the state of the database
every test starts from (a refused POST must leave it so); the actors; and the figure printed after each run."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils import translation

from accounts.models import User
from tests.access_matrix.matrix import CASES, ROWS, named_patterns
from tests.access_matrix.state import database_state
from tests.access_matrix.world import ACTORS, build_world
from tests.conftest import FAST_HASHERS


def storages(location):
    return {
        **django_settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }


@pytest.fixture(scope="module")
def matrix_media(tmp_path_factory):
    """The module's uploaded files: the world's, and those the allowed POSTs add (thrown away with the folder)."""
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(scope="module")
def world(_module_cast, django_db_blocker, matrix_media):
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages(matrix_media), PASSWORD_HASHERS=FAST_HASHERS),
        translation.override("kk"),
    ):
        return build_world(_module_cast)


@pytest.fixture(scope="module")
def world_state(world, django_db_blocker):
    """The database as every test of the module starts: the world, each test's changes being rolled back. Taken
    once, as it is the same for all (the sign-in a test makes first writes only a column the state leaves out)."""
    with django_db_blocker.unblock():
        return database_state()


@pytest.fixture(autouse=True)
def _matrix_storage(_test_settings, settings, matrix_media):
    """Every test of the module reads the world's files where the world wrote them."""
    settings.STORAGES = storages(matrix_media)


@pytest.fixture
def actors(world, cast):
    """Each actor of the matrix by name, as a fresh user (None for anonymous)."""
    people = {name: getattr(cast, name) for name in world.users if name != "colleague"}
    return {"anonymous": None, **people, "colleague": User.objects.get(pk=world.users["colleague"])}


def pytest_terminal_summary(terminalreporter):
    """Say how much the matrix covers, so that the figure is in every run's output."""
    terminalreporter.write_line(
        f"access matrix: {len(set(named_patterns()))} URL patterns in {len(ROWS)} rows × {len(ACTORS)} actors "
        f"= {len(CASES)} (pattern, actor, method) cases"
    )
