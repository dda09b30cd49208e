"""In the browser: five wrong passwords pause signing in, said in Kazakh; pages' scripts, the framed PDF and the admin
work under the Content-Security-Policy, with nothing refused."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from playwright.sync_api import expect
from weasyprint import HTML

from accounts.models import User
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.portfolio.conftest import hand_in

# The frame Chromium's built-in PDF viewer draws a PDF in.
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"

pytestmark = pytest.mark.django_db(transaction=True)


def kazakh(text):
    with translation.override("kk"):
        return translation.gettext(text)


def refusals(page):
    """The browser's console lines that report something the policy refused, gathered as the page runs."""
    found = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    return found


def test_five_wrong_passwords_pause_signing_in_and_say_so_in_kazakh(page, live_server, cast, tmp_path):
    for _ in range(5):
        sign_in(page, live_server, "student", "not-the-password")
    heading = page.get_by_role("heading", name=kazakh("Sign-in is paused"))
    expect(heading).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("#lockout-until")).to_contain_text(re.compile(r"\d\d:\d\d"))
    page.screenshot(path=tmp_path / "lockout.png", full_page=True)

    # The right password is refused too while the pause lasts.
    sign_in(page, live_server, "student", PASSWORD)
    expect(heading).to_be_visible()
    assert "/accounts/login/" in page.url


def test_the_reading_lists_add_an_entry_button_works_from_its_own_script(page, live_server, cast):
    refused = refusals(page)
    sign_in(page, live_server, "instructor", PASSWORD)
    page.goto(f"{live_server.url}/courses/{cast.course.pk}/reading-list/")
    rows = page.locator("[data-reference-rows] > *")
    before = rows.count()
    page.get_by_role("button", name=kazakh("Add an entry")).click()
    expect(rows).to_have_count(before + 1)
    expect(rows.last.locator("textarea").first).to_be_focused()
    assert not refused, refused


def test_a_pdf_handed_in_shows_framed_in_the_grading_page(page, live_server, cast, tmp_path):
    essay = cast.tasks["СОӨЖ 1"]
    document = HTML(string="<h1>Кейс-менеджмент</h1><p>Эссе мәтіні.</p>").write_pdf()
    version = hand_in(essay, cast.student, SimpleUploadedFile("эссе.pdf", document))
    refused = refusals(page)
    sign_in(page, live_server, "instructor", PASSWORD)
    with page.expect_response(re.compile(r"/files/\d+/\?inline=1$")) as framed:
        page.goto(f"{live_server.url}/submissions/{version.submission_id}/grade/")
    assert framed.value.status == 200
    assert framed.value.headers["content-type"] == "application/pdf"
    expect(page.locator("iframe.pdf-frame")).to_be_visible()
    # Chromium's PDF viewer is a frame of its own inside the framed file: it is there only if nothing refused it.
    for _ in range(50):
        if any(frame.url.startswith(PDF_VIEWER) for frame in page.frames):
            break
        page.wait_for_timeout(100)
    assert any(frame.url.startswith(PDF_VIEWER) for frame in page.frames), [frame.url for frame in page.frames]
    page.screenshot(path=tmp_path / "pdf.png", full_page=True)
    assert not refused, refused


def test_the_admin_works_under_the_policy(page, live_server, cast):
    User.objects.create_superuser("portal-admin", "admin@example.kz", PASSWORD)
    refused = refusals(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("#id_username").fill("portal-admin")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.goto(f"{live_server.url}/admin/accounts/user/")
    # The admin's own script: ticking the header box selects every row and says how many.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-select:checked")).to_have_count(User.objects.count())
    expect(page.locator(".action-counter")).to_contain_text(str(User.objects.count()))
    page.goto(f"{live_server.url}/admin/accounts/user/{cast.student.pk}/change/")
    expect(page.locator("#id_username")).to_have_value("student")
    page.goto(f"{live_server.url}/admin/axes/accessattempt/")
    expect(page.locator("#changelist")).to_be_visible()
    assert not refused, refused
