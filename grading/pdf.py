"""The feedback PDF of a graded submission: the document a student keeps and staff may print."""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coursework.models import Enrollment
from grading import scoring, services
from grading.access import grade_for_viewer

TEMPLATE = "grading/feedback_pdf.html"
HUNDRED = scoring.HUNDRED
# Relative URLs in the template resolve against the static folder, and nothing outside it is fetched.
STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"


class _StaticOnlyFetcher(weasyprint.URLFetcher):
    """Fetches files under static/ and nothing else: a PDF never reaches the network or the rest of the disk."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or not Path(url2pathname(parts.path)).resolve().is_relative_to(STATIC_DIR):
            raise ValueError(f"refused to fetch {url}")
        return super().fetch(url, headers)


def css_string(text):
    """``text`` as a quoted CSS string: anything but letters, digits and spaces becomes a hex escape."""
    return '"' + "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text) + '"'


def css_counter_content(sentence, **values):
    """A translated sentence as a CSS ``content`` value whose %(page)s and %(pages)s become page counters.

    The sentence is translated whole and cut at its placeholders, so each language keeps its word order.
    """
    marker = "\x00"
    text = sentence % {**values, "page": f"{marker}page{marker}", "pages": f"{marker}pages{marker}"}
    parts = []
    for index, piece in enumerate(text.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts)


def render_pdf(html):
    """WeasyPrint on ``html``, fetching nothing outside static/."""
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_StaticOnlyFetcher()).write_pdf()


def _page_footer(student_name):
    """The page footer: the student's name and "page X of Y" in the reader's language."""
    return css_counter_content(_("%(student)s · page %(page)s of %(pages)s"), student=student_name)


def _rubric_rows(grade):
    """One row per criterion of the grade's rubric: its levels in order, the chosen one, the score."""
    scores = {score.criterion_id: score for score in grade.scores.select_related("level")}
    rows = []
    for criterion in grade.rubric.criteria.prefetch_related("levels"):
        levels = list(criterion.levels.all())
        score = scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                "levels": [
                    {"level": level, "chosen": score is not None and score.level_id == level.pk} for level in levels
                ],
                "maximum": scoring.criterion_maximum(levels),
                "score": score,
            }
        )
    columns = max((len(row["levels"]) for row in rows), default=0)
    for row in rows:
        row["padding"] = range(columns - len(row["levels"]))
    return rows, columns


def _context(grade):
    submission = grade.submission
    task = submission.task
    course = task.course
    department = course.department
    student = submission.student
    enrollment = Enrollment.objects.filter(course=course, student=student).first()
    rows, columns = _rubric_rows(grade) if grade.rubric is not None else ([], 0)
    scale = grade.rubric.holistic_scale if grade.rubric is not None else None
    band = scoring.band_for(list(scale.bands.all()), grade.percent) if scale is not None else None
    letter = scoring.letter_for(services.letters_for(department), grade.percent)
    scaled = grade.rubric_maximum is not None and grade.rubric_maximum != HUNDRED
    return {
        "grade": grade,
        "version": grade.version,
        "task": task,
        "course": course,
        "department": department,
        "student": student,
        "enrollment": enrollment,
        "graded_by": grade.graded_by,
        "rows": rows,
        "level_columns": columns,
        "level_range": range(columns),
        "band": band,
        "letter": letter,
        "scaling_note": scaled,
        "footer": _page_footer(student.display_name),
    }


def feedback_pdf_bytes(grade, *, language):
    """The feedback document of ``grade`` as PDF bytes, every label and content text in ``language``."""
    with translation.override(language):
        html = render_to_string(TEMPLATE, _context(grade))
    return render_pdf(html)


def _filename(grade):
    student = grade.submission.student
    return f"{grade.submission.task.label} — {student.display_name}.pdf"


@require_GET
@login_required
def feedback_pdf(request, pk):
    """The feedback PDF: the student's own once released; the course's staff at any time (drafts marked)."""
    grade = grade_for_viewer(request.user, pk)
    content = feedback_pdf_bytes(grade, language=translation.get_language())
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, _filename(grade))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
