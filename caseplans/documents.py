"""The printed individual work plan (WeasyPrint): what a case manager could file, and what the grader reads."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.pdf import render_pdf


def plan_file_name(*, task, version):
    return _("Individual work plan — %(label)s — version %(number)d.pdf") % {
        "label": task.display_label,
        "number": version.number,
    }


def plan_pdf(*, content, task, student, version):
    """The PDF of a handed-in plan's ``content`` (a version's snapshot)."""
    html = render_to_string(
        "caseplans/plan_pdf.html",
        {"content": content, "task": task, "course": task.course, "student": student, "version": version},
    )
    return render_pdf(html)
