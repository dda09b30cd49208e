"""A department's gradebooks in one file, as its admin asks for them with a real queue (Redis and a Celery worker,
PostgreSQL): the job's page answers at once and shows the file waiting, then, without the admin doing anything,
the link once the worker has made it."""

import subprocess

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.jobs.conftest import broker, worker_env, workers  # noqa: F401 — fixtures

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker shares the test database: PostgreSQL"),
]


def test_the_job_page_shows_the_file_waiting_then_the_link(page, live_server, cast, broker, workers, tmp_path):  # noqa: F811
    sign_in(page, live_server, cast.dept_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/department/")
    page.locator('[data-export="pdf"]').click()

    card = page.locator(".job-card")
    expect(card).to_have_attribute("data-job", "queued")  # no worker yet
    expect(card.locator("[role=status]")).to_be_visible()
    page.screenshot(path=tmp_path / "job-waiting.png", full_page=True)

    workers()
    download = page.locator("[data-download]")
    expect(download).to_be_visible(timeout=60_000)  # the page followed the job and reloaded itself
    expect(card).to_have_attribute("data-job", "done")
    page.screenshot(path=tmp_path / "job-done.png", full_page=True)
    with page.expect_download() as pdf:
        download.click()
    path = tmp_path / "department.pdf"
    pdf.value.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert cast.course.code in text
