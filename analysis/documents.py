"""The printed analytical work (WeasyPrint): the comparison table, the SWOT grid and the references, with the report's
name and length — what the grader reads beside the rubric and what the portfolio's ZIPs carry."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.pdf import css_counter_content, css_string, render_pdf

TEMPLATE = "analysis/analysis_pdf.html"


def analysis_file_name(*, task, version):
    return _("Model comparison, SWOT and references — %(label)s — version %(number)d.pdf") % {
        "label": task.display_label,
        "number": version.number,
    }


def analysis_html(*, content, task, student, version):
    """The analysis as the HTML WeasyPrint lays out, in the active language: the rendering every page shows, on A4
    with the department's letterhead (the comparison of three models on landscape pages), and the course, the task,
    the student and "page X of Y" at the foot of every page."""
    course = task.course
    return render_to_string(
        TEMPLATE,
        {
            "content": content,
            "task": task,
            "course": course,
            "department": course.department,
            "student": student,
            "version": version,
            "running_title": css_string(f"{course.code} · {task.display_label} · {student.display_name}"),
            "page_counter": css_counter_content(_("page %(page)s of %(pages)s")),
        },
    )


def analysis_pdf(*, content, task, student, version):
    """The PDF of a handed-in analysis's ``content`` (a version's snapshot), in the active language."""
    return render_pdf(analysis_html(content=content, task=task, student=student, version=version))
