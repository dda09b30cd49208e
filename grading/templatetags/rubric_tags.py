import threading
from collections import OrderedDict
from types import SimpleNamespace

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from accounts.i18n import DEFAULT_LANGUAGE
from grading.models import Rubric

register = template.Library()


@register.simple_tag
def task_rubric_choices(user, task):
    """For a task's queue page: the rubrics the person may attach, and the task's current one (one query)."""
    rubrics = list(Rubric.objects.usable_by(user))
    current = next((rubric for rubric in rubrics if rubric.pk == task.rubric_id), None)
    if current is None and task.rubric_id:
        current = task.rubric
    return SimpleNamespace(rubrics=rubrics, current=current)


@register.filter
def reader_language(titles, fallback=""):
    """A title kept in every language ({"kk": …, "ru": …, "en": …}, as grade history keeps them) in the reader's
    language; Kazakh when that one is empty, ``fallback`` for history written before titles were kept so."""
    titles = titles or {}
    return titles.get((get_language() or DEFAULT_LANGUAGE).split("-")[0]) or titles.get(DEFAULT_LANGUAGE) or fallback


_tables = OrderedDict()
_tables_lock = threading.Lock()
KEPT_TABLES = 64


@register.simple_tag
def rubric_table(rubric, criteria, columns):
    """The task page's table of a rubric: the levels' titles and ranges across, each criterion's descriptors in its
    row. The same for every reader of a language until the rubric changes (its ``updated_at`` moves on whenever a
    criterion or level does: grading.selectors.rubrics), so it is written once per process for each state and
    language."""
    key = (rubric.pk, rubric.updated_at, get_language())
    with _tables_lock:
        table = _tables.get(key)
    if table is None:
        table = _rubric_table(criteria, columns)
        with _tables_lock:
            _tables[key] = table
            while len(_tables) > KEPT_TABLES:
                _tables.popitem(last=False)
    return table


def _rubric_table(criteria, columns):
    heads = format_html_join(
        "",
        '<th scope="col">{} <span class="level-range">{}–{}%</span></th>',
        (
            (level.display_title, floatformat(level.min_percent, "-2"), floatformat(level.max_percent, "-2"))
            for level in columns
        ),
    )
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                criterion.display_title,
                format_html_join(
                    "", '<td class="small">{}</td>', ((level.display_descriptor,) for level in criterion.levels.all())
                ),
            )
            for criterion in criteria
        ),
    )
    return format_html(
        '<div class="table-responsive"><table class="table table-sm table-bordered align-top rubric-table mb-0">'
        '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>',
        gettext("Criterion"),
        heads,
        rows,
    )


def forget_rubric_tables():
    """Drop the tables this process wrote (the tests, which reuse primary keys and clock times across databases)."""
    with _tables_lock:
        _tables.clear()
