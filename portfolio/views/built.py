"""The hand-in of work built in the portal (the case plan, СӨЖ 4's analytical work, СӨЖ 3's assessment toolkit):
the statement, the hand-in, a refusal and the "handed in" message with the link to the PDF the portal made, and the
words the editor's script says. Written once here for the page of every such deliverable; each page says what was
handed in in its own words."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from config.messages import report_errors
from portfolio.forms import StatementForm
from portfolio.templatetags.portfolio import duration_words


@dataclass(frozen=True)
class HandInTexts:
    """What a page says of its hand-in: refused for what its checklist lists, handed in, handed in late. The last
    two are HTML with the fields ``{number}``, ``{link}`` (the PDF's) and, when late, ``{delay}``."""

    refused: str
    handed_in: str
    handed_in_late: str


def built_hand_in(request, *, task, submit, in_checklist, texts, back):
    """Hand in the student's work with ``submit`` (the app's service) once the statement is ticked, and say what
    happened: a refusal sends the student ``back`` (their page's hand-in), a version to the task's page. A refusal
    whose every message ``in_checklist(error)`` finds on the page's checklist is one message pointing to it."""
    form = StatementForm(request.POST)
    if not form.is_valid():
        report_errors(request, form)
        return redirect(back)
    try:
        version = submit(task=task, student=request.user, statement_accepted=True)
    except ValidationError as error:
        if in_checklist(error):
            messages.error(request, texts.refused)
        else:
            report_errors(request, error)
        return redirect(back)
    level = messages.WARNING if version.is_late else messages.SUCCESS
    messages.add_message(request, level, _handed_in_message(version, texts))
    return redirect("grading:task_detail", task.course_id, task.pk)


def _handed_in_message(version, texts):
    link = reverse("portfolio:file_download", args=[version.files.get(is_generated=True).pk])
    if version.is_late:
        delay = duration_words(version.late_by)
        return format_html(str(texts.handed_in_late), number=version.number, delay=delay, link=link)
    return format_html(str(texts.handed_in), number=version.number, link=link)


def editor_text():
    """What the script of every editor saved as it is typed says, in the page's language (each page adds its own)."""
    return {
        "confirmRemove": _("Remove %(row)s and everything written in it?"),
        "moved": _("Moved: it is %(row)s now."),
        "removed": _("%(row)s was removed."),
        "added": _("%(row)s was added."),
        "saved": _("Saved at %(time)s"),
        "offline": _("Not saved — no connection. Your changes are kept in this browser; trying again…"),
        "failed": _(
            "Not saved — the server could not save it just now. Your changes are kept in this browser; trying again…"
        ),
        "refused": _("Not saved:"),
        "signedOut": _(
            "Not saved — you have been signed out. Sign in again in another tab; your changes are kept in this browser."
        ),
        "restored": _("Changes this browser kept from your last visit were put back; saving them."),
        "dropped": _(
            "This browser held changes older than the saved work; they were left out, and the saved work is shown."
        ),
    }
