"""Security headers: a Content-Security-Policy on every page, templates that need nothing inline, and Django's
deployment check clean with production settings."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from coursework.models import Deliverable
from grading.services.letter_scale import letter_scale_ensure
from grading.services.rubrics import essay_rubric_ensure
from jobs.models import Job
from jobs.queue import job_start
from tests.conftest import PASSWORD
from tests.portfolio.conftest import hand_in, pdf

ROOT = Path(__file__).resolve().parent.parent
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
MISSING = 999_999


@pytest.fixture
def handed_in_pdf(cast):
    """СОӨЖ 1 with the seed essay rubric, handed in by the student as a PDF (the grading page frames it)."""
    letter_scale_ensure()
    task = cast.tasks["СОӨЖ 1"]
    task.rubric = essay_rubric_ensure()
    task.save()
    return hand_in(task, cast.student, pdf())


def policy_of(response):
    header = response.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} answered {response.status_code} without a policy"
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


# Every page, for every role -----------------------------------------------------------------------------------


def named_routes(resolver=None, route="", namespace=""):
    """(name, the route's whole pattern) of every URL pattern but the admin's (its pages are checked below)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_routes(entry, route + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", route + str(entry.pattern)


def task_for(route, cast):
    """The course's task whose pages the route belongs to, so that most routes answer with a real page."""
    wanted = {
        "toolkit": Deliverable.ASSESSMENT_TOOLKIT,
        "comparison": Deliverable.MODEL_COMPARISON,
        "plan": Deliverable.CASE_PLAN,
        "cases": Deliverable.CASE_PLAN,
        "repository": Deliverable.SERVICE_REPOSITORY,
    }
    deliverable = next((kind for word, kind in wanted.items() if word in route), Deliverable.ESSAY)
    return next(task for task in cast.tasks.values() if task.deliverable == deliverable)


def kwargs_for(route, cast, version, job):
    """Values for a route's parameters: the cast's rows where the route names one, a missing id elsewhere (those
    pages answer 404, which must carry the policy too)."""
    values = {}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "course_pk" or (name == "pk" and re.match(r"courses/<[\w:]*pk>/[\w-]*/?$", route)):
            values[name] = cast.course.pk
        elif name == "pk" and "/tasks/<" in route:
            values[name] = task_for(route, cast).pk
        elif name == "pk" and route.startswith("submissions/"):
            values[name] = version.submission.pk
        elif name == "pk" and route.startswith("files/"):
            values[name] = version.files.get().pk
        elif name == "student_pk":
            values[name] = cast.student.pk
        elif name == "pk" and route.startswith("jobs/"):
            values[name] = job.pk
        elif name == "kind":
            values[name] = "pdf"
        elif name in {"uidb64", "token"}:
            values[name] = "x"
        else:
            values[name] = MISSING
    return values


@pytest.mark.django_db
def test_every_page_carries_the_policy_for_every_role(client, cast, handed_in_pdf):
    version = handed_in_pdf
    job = job_start(kind=Job.Kind.COURSE_XLSX, user=cast.instructor, language="kk", course=cast.course)
    routes = sorted(named_routes())
    assert len(routes) > 90  # the walk reaches every app's pages
    pages = 0
    for who in (None, cast.student, cast.instructor, cast.dept_admin):
        client.logout()
        if who:
            client.force_login(who)
        for name, route in routes:
            if name in {"logout", "set_language"}:
                continue  # both change the session the walk goes on with; checked on their own below
            response = client.get(reverse(name, kwargs=kwargs_for(route, cast, version, job)))
            framed_pdf = name == "portfolio:file_download" and response.status_code == 200
            expected = {**POLICY, "frame-ancestors": "'self'", "object-src": "'self'"} if framed_pdf else POLICY
            assert policy_of(response) == expected, (name, who)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages += 1
                assert_nothing_inline(response.content.decode(), name)
    # Sign-in, homes, courses, tasks, queues, editors, rubrics, the gradebook, the directory... rendered for real.
    assert pages > 50


def test_signing_out_and_choosing_a_language_carry_the_policy(client, cast, login):
    login(cast.student)
    assert policy_of(client.post(reverse("set_language"), {"language": "ru", "next": "/"})) == POLICY
    assert policy_of(client.post(reverse("logout"))) == POLICY


def test_a_pdf_may_be_framed_by_the_portals_own_pages_and_no_other_site(client, cast, handed_in_pdf, login):
    version = handed_in_pdf
    login(cast.instructor)
    response = client.get(reverse("portfolio:file_download", args=[version.files.get().pk]), {"inline": "1"})
    assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
    assert policy_of(response)["frame-ancestors"] == "'self'"
    # A viewer that is an embedded plugin may show the file's own bytes; everything else keeps the page policy.
    assert policy_of(response) == {**POLICY, "frame-ancestors": "'self'", "object-src": "'self'"}
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The page that frames it may frame only the portal's own pages (frame-src falls back to default-src).
    grading_page = client.get(reverse("grading:grade", args=[version.submission.pk]))
    assert 'class="pdf-frame"' in grading_page.content.decode()
    assert policy_of(grading_page)["default-src"] == "'self'" and "frame-src" not in policy_of(grading_page)
    assert grading_page["X-Frame-Options"] == "DENY"


def test_the_admins_pages_carry_the_policy(client, cast):
    admin = User.objects.create_superuser("portal-admin", "admin@example.kz", PASSWORD)
    client.force_login(admin)
    for url in (
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[cast.student.pk]),
        reverse("admin:axes_accessattempt_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert policy_of(response) == POLICY
        assert_nothing_inline(response.content.decode(), url, allow_style=True)


# Nothing inline in any template -------------------------------------------------------------------------------

# Rendered to PDF bytes by WeasyPrint (the documents modules), never served as a page: no browser applies the policy
# to them, and WeasyPrint needs their <style> and style attributes.
PDF_TEMPLATES = re.compile(r"(_pdf|/pdf_base)\.html$")
TEMPLATE_TAG = re.compile(r"{%.*?%}|{#.*?#}", re.DOTALL)
INLINE = {
    "an inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "an event handler attribute": re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.I),
    "a style attribute": re.compile(r"<[a-z][^<>]*\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a javascript: address": re.compile(r"javascript:", re.I),
}


def inline_code(text, *, allow_style=False):
    """What in ``text`` the policy would refuse to run or apply, as readable names."""
    text = TEMPLATE_TAG.sub(" ", text)
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    return [what for what in found if not (allow_style and what == "a style attribute")]


def assert_nothing_inline(html, where, allow_style=False):
    assert not inline_code(html, allow_style=allow_style), f"{where}: {inline_code(html, allow_style=allow_style)}"


def templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_scan_finds_each_kind_of_inline_code():
    assert inline_code("<script>alert(1)</script>") == ["an inline script"]
    assert inline_code('<script src="/static/js/a.js"></script><script type="application/json">{}</script>') == []
    assert inline_code('<button type="button" onclick="go()">') == ["an event handler attribute"]
    assert inline_code('<td{% if x %} class="a"{% endif %} style="width: 1rem">') == ["a style attribute"]
    assert inline_code("<style>p {}</style>") == ["a <style> element"]
    assert inline_code('<a href="javascript:void(0)">') == ["a javascript: address"]
    # Words in template tags and in text are not attributes.
    in_a_tag = '<p class="a">{% blocktranslate with style=style %}As {{ style }} asks{% endblocktranslate %}</p>'
    assert inline_code(in_a_tag) == []
    assert inline_code("<p>Click once = done, see the style guide.</p>") == []


def test_no_template_served_as_a_page_has_inline_script_handlers_or_styles():
    scanned = [path for path in templates() if not PDF_TEMPLATES.search(path.as_posix())]
    assert len(scanned) > 100
    problems = [
        f"{path.relative_to(ROOT)}: {', '.join(found)}" for path in scanned if (found := inline_code(path.read_text()))
    ]
    assert not problems, "\n".join(problems)


def test_the_templates_left_out_of_the_scan_are_only_rendered_to_pdf():
    left_out = [path for path in templates() if PDF_TEMPLATES.search(path.as_posix())]
    assert left_out
    sources = {path: path.read_text() for path in ROOT.glob("*/**/*.py") if ".venv" not in path.parts}
    for template in left_out:
        name = template.relative_to(ROOT / "templates").as_posix()
        users = [path for path, text in sources.items() if name in text and "tests" not in path.parts]
        extended_by = [path for path in left_out if f'{{% extends "{name}" %}}' in path.read_text()]
        assert users or extended_by, name
        assert all(path.stem == "documents" or path.parent.name == "documents" for path in users), (name, users)


def test_no_script_writes_style_attributes_or_evaluates_strings():
    scripts = sorted((ROOT / "static" / "js").glob("*.js"))
    assert scripts
    refused = re.compile(r"setAttribute\(\s*[\"']style|style=|\beval\(|new Function\(|javascript:")
    problems = [f"{path.name}: {match.group(0)}" for path in scripts for match in refused.finditer(path.read_text())]
    assert not problems, problems


# The deployment check -----------------------------------------------------------------------------------------


def production(*args, **env):
    # As a server runs: no debugging, and none of the test run's own switches (DJANGO_ALLOW_ASYNC_UNSAFE).
    unset = {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in unset}
    clean.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.kz,testserver",
        **env,
    )
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, check=False)


def test_the_deployment_check_reports_nothing_with_production_settings():
    result = production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_in_production_plain_http_is_redirected_and_https_answers_with_hsts():
    script = (
        "import django; django.setup(); from django.test import Client; client = Client(); "
        "plain = client.get('/'); secure = client.get('/', secure=True); "
        "print(plain.status_code, plain['Location']); print(secure['Strict-Transport-Security'])"
    )
    result = production("-c", script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "301 https://testserver/",
        "max-age=31536000; includeSubDomains; preload",
    ]
