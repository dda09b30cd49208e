from django import template
from django.utils.translation import gettext as _

register = template.Library()

BAR_WIDTH = 6
GAP = 2
HEIGHT = 36


@register.inclusion_tag("grading/includes/distribution.html")
def distribution_chart(stats, label):
    """A small bar chart of a task's scores in ten bins of ten percent, drawn as inline SVG."""
    peak = max(stats.bins) or 1
    bars = []
    for index, count in enumerate(stats.bins):
        height = round(count / peak * (HEIGHT - 4)) if count else 0
        bars.append(
            {
                "x": index * (BAR_WIDTH + GAP),
                "y": HEIGHT - height,
                "height": height,
                "count": count,
                "range": f"{index * 10}–{index * 10 + 10 if index < 9 else 100}%",
            }
        )
    summary = ", ".join(f"{bar['range']}: {bar['count']}" for bar in bars if bar["count"])
    return {
        "bars": bars,
        "width": 10 * (BAR_WIDTH + GAP) - GAP,
        "height": HEIGHT,
        "bar_width": BAR_WIDTH,
        "title": _("Distribution of scores for %(label)s") % {"label": label},
        "summary": summary or _("No released grades yet"),
    }


@register.filter
def cell_at(cells, index):
    return cells[index]


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def page_range(count):
    return range(1, count + 1)
