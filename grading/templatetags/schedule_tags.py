"""The rows of a course's schedule (grading/includes/schedule_table.html), written in Python: the student's home and
the course page list every task on every visit, and the row's template with its includes (the badges, the next step,
the staff's counts) cost a quarter of those pages.

The badges are those of portfolio/includes/progress_badge.html and coursework/includes/status_badge.html, which the
task page still includes. As in the templates, a translation is written as the catalogue has it and every value is
escaped."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from config.markup import catalogue_text, sentence
from coursework.models import Deliverable, Status
from portfolio.selectors import Progress

register = template.Library()


DELIVERABLES = dict(Deliverable.choices)


class _Texts:
    """The schedule's texts in the reader's language, looked up once per table."""

    def __init__(self):
        self.week, self.due = catalogue_text(gettext("Week")), catalogue_text(gettext("Due"))
        self.points, self.status = catalogue_text(gettext("Max points")), catalogue_text(gettext("Status"))
        self.submissions = catalogue_text(gettext("Submissions"))
        self.extended = catalogue_text(gettext("extended for you"))
        self.overridden = catalogue_text(gettext("date set by the instructor"))
        self.no_points = catalogue_text(gettext("No points set"))
        self.nothing_handed_in = catalogue_text(gettext("Nothing has been handed in for this task yet."))
        # The badges of portfolio/includes/progress_badge.html (the graded one takes its points) and of
        # coursework/includes/status_badge.html.
        self.progress_badges = {
            Progress.GRADED: ("status-graded", catalogue_text(gettext("Graded"))),
            Progress.SUBMITTED: ("status-done", catalogue_text(gettext("Submitted"))),
            Progress.SUBMITTED_LATE: ("status-late", catalogue_text(gettext("Submitted late"))),
            Progress.DRAFT: ("status-draft", catalogue_text(gettext("Draft"))),
            Progress.NOT_STARTED: ("status-none", catalogue_text(gettext("Not started"))),
        }
        self.status_badges = {
            Status.PAST_DUE: _badge("status-past", catalogue_text(gettext("Past due"))),
            Status.DUE_SOON: _badge("status-soon", catalogue_text(gettext("Due soon"))),
            Status.UPCOMING: _badge("status-upcoming", catalogue_text(gettext("Upcoming"))),
        }
        # The student's next step; the sentence naming the version is filled in per row.
        self.new_draft = catalogue_text(gettext("A new draft is waiting to be submitted."))
        self.handed_in = gettext("Version %(number)s handed in.")
        self.closed = catalogue_text(gettext("Submissions are closed."))
        self.submit_draft = catalogue_text(gettext("Submit your draft."))
        self.overdue = catalogue_text(gettext("Overdue: hand it in as soon as you can."))
        self.hand_in = catalogue_text(gettext("Hand in your portfolio by the due date."))
        self._deliverables = {}

    def deliverable(self, value):
        """``task.get_deliverable_display()``, each kind put into words once per table."""
        if value not in self._deliverables:
            self._deliverables[value] = str(DELIVERABLES.get(value, value))
        return self._deliverables[value]


def _badge(css, label):
    return format_html('<span class="badge status {}">{}</span>', css, label)


@register.simple_tag(takes_context=True)
def schedule_rows(context, schedule):
    """The ``<tr>`` of each row of ``schedule`` (grading.views.courses.ScheduleRow): the task, its week, its due
    moment (the student's own after an extension), its points, and its status with, for a student, where they stand
    and their next step, for staff, how many handed in, to grade, graded, released and late."""
    texts = _Texts()
    if not schedule:
        return format_html(
            '<tr><td colspan="6" class="text-body-secondary">{}</td></tr>',
            catalogue_text(gettext("This course has no tasks yet.")),
        )
    now = context["now"]
    return mark_safe("\n".join(_row(row, texts, now) for row in schedule))  # noqa: S308 — format_html's rows


def _row(row, texts, now):
    task, progress = row.task, row.progress
    submissions = ""
    if row.counts:
        queue = reverse("grading:queue", args=(task.course_id, task.pk))
        submissions = format_html(' · <a href="{}">{}</a>', queue, texts.submissions)
    if progress:
        status = [_progress_badge(progress, texts)]
        if not progress.latest:
            status.append(texts.status_badges[row.status])
        status.append(
            format_html('<div class="small text-body-secondary mt-1">{}</div>', _next_step(progress, texts, now))
        )
    else:
        status = [texts.status_badges[row.status]]
        if row.counts:
            status.append(_counts(row.counts, queue, texts))
    if task.max_points is not None:
        points = floatformat(task.max_points, "-1")
    else:
        points = format_html('<span class="text-body-secondary" title="{}">—</span>', texts.no_points)
    return format_html(
        '<tr data-task="{}">\n<th scope="row" class="text-nowrap">\n<span class="task-label">{}</span>\n</th>\n'
        '<td class="title-cell">\n<a href="{}">{}</a>\n<div class="small text-body-secondary">{}{}</div>\n</td>\n'
        '<td class="text-center" data-label="{}">{}</td>\n'
        '<td class="text-nowrap" data-label="{}">\n{}\n</td>\n'
        '<td class="text-end" data-label="{}">{}</td>\n'
        '<td data-label="{}">\n{}\n</td>\n</tr>',
        task.label,
        task.display_label,
        row.url,
        task.display_title,
        texts.deliverable(task.deliverable),
        submissions,
        texts.week,
        task.due_week,
        texts.due,
        _due(task, progress, texts),
        texts.points,
        points,
        texts.status,
        mark_safe("\n".join(status)),  # noqa: S308 — format_html's badges
    )


def _due(task, progress, texts):
    """The due moment: the student's own after an extension, else the task's (and whether its instructor set it)."""
    if progress and progress.has_extension:
        due, note = progress.deadline.due_at, texts.extended
    else:
        due, note = task.due_at, texts.overridden if task.is_due_overridden else ""
    due = template_localtime(due)
    return format_html(
        '<time datetime="{}">{}</time>\n<div class="small text-body-secondary">{}{}</div>',
        due.isoformat(),  # the date filter's "c"
        date_filter(due, "DATE_FORMAT"),
        due.strftime("%H:%M"),  # the time filter's "H:i"
        format_html(" · {}", note) if note else "",
    )


def _progress_badge(progress, texts):
    state = progress.state
    css, label = texts.progress_badges[state]
    if state == Progress.GRADED and progress.grade.points is not None:
        label = format_html("{} · {}", label, floatformat(progress.grade.points, "-1"))
    return format_html('<span class="badge status {}">{}</span>', css, label)


def _next_step(progress, texts, now):
    deadline = progress.deadline
    if progress.latest:
        return texts.new_draft if progress.draft else sentence(texts.handed_in, number=progress.latest.number)
    if deadline.cutoff_at and deadline.cutoff_at < now:
        return texts.closed
    if progress.draft:
        return texts.submit_draft
    if deadline.due_at < now:
        return texts.overdue
    return texts.hand_in


def _counts(counts, queue, texts):
    """For staff: how many handed the task in and, of those, how many are to grade, graded, released and late; each
    that asks for work links to its part of the queue."""
    if not counts.handed_in:
        return format_html('<div class="small text-body-secondary mt-1 task-counts">{}</div>', texts.nothing_handed_in)

    def item(text, count, status=None, css=""):
        said = sentence(text, counter=count)
        if status is not None:
            said = format_html('<a{} href="{}?status={}">{}</a>', css, queue, status, said)
        return format_html('<li class="list-inline-item">{}</li>', said)

    items = [
        item(
            ngettext("%(counter)s handed in", "%(counter)s handed in", counts.handed_in), counts.handed_in, "submitted"
        )
    ]
    if counts.to_grade:
        text = ngettext("%(counter)s to grade", "%(counter)s to grade", counts.to_grade)
        items.append(item(text, counts.to_grade, "ungraded", mark_safe(' class="fw-semibold"')))
    items.append(item(ngettext("%(counter)s graded", "%(counter)s graded", counts.graded), counts.graded))
    items.append(item(ngettext("%(counter)s released", "%(counter)s released", counts.released), counts.released))
    if counts.late:
        items.append(item(ngettext("%(counter)s late", "%(counter)s late", counts.late), counts.late, "late"))
    return format_html(
        '<ul class="list-inline small mb-0 mt-1 task-counts">\n{}\n</ul>',
        mark_safe("\n".join(items)),  # noqa: S308 — format_html's items
    )
