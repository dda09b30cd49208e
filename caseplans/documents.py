"""The printed individual work plan (WeasyPrint): what a case manager could file, and what the grader reads."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.pdf import css_counter_content, css_string, render_pdf

TEMPLATE = "caseplans/plan_pdf.html"


def plan_file_name(*, task, version):
    return _("Individual work plan — %(label)s — version %(number)d.pdf") % {
        "label": task.display_label,
        "number": version.number,
    }


def plan_html(*, content, task, student, version):
    """The plan as the HTML WeasyPrint lays out, in the active language: the rendering every page shows, on A4 with
    the department's letterhead, and the course, the student and "page X of Y" at the foot of every page."""
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


def plan_pdf(*, content, task, student, version):
    """The PDF of a handed-in plan's ``content`` (a version's snapshot), in the active language."""
    return render_pdf(plan_html(content=content, task=task, student=student, version=version))
