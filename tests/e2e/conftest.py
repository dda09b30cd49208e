import os
import re

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "kk-KZ", "timezone_id": "Asia/Almaty"}


def sign_in(page, live_server, username, password):
    """Sign in through the Kazakh sign-in form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile("Пайдаланушы")).fill(username)
    page.get_by_label(re.compile("Құпиясөз")).fill(password)
    page.get_by_role("button", name="Кіру").click()


# The grading flow uses the same seeded task as tests/grading.
from tests.grading.conftest import essay, rubric  # noqa: E402, F401
