"""What the rendering of a handed-in analysis needs from its snapshot: the comparison as rows of cells in the
models' order, the SWOT quadrants with each item's criterion named, the references as the snapshot printed them and
the name of their style; and, from its version, the report the student uploaded."""

from django import template

from analysis.data import QUADRANTS, normalised
from analysis.references import formatted_references_html
from coursework.models import ReferenceStyle

register = template.Library()


@register.simple_tag
def analysis_parts(content):
    """The analysis of a snapshot as the rendering reads it.

    ``models`` (the columns); ``rows``, one per criterion: its ``number``, ``name`` and ``cells`` in the models'
    order, each its ``model``'s name and its ``text`` ("" where it is empty); ``quadrants``, one per SWOT quadrant in
    QUADRANTS' order: ``name``, ``label`` and ``items``, each with its ``text`` and the name of the ``criterion`` it
    is linked to ("" for none); ``references``, the snapshot's formatted strings (its HTML variant, made and escaped
    by analysis.references, when it has one); ``style``, the name of the references' style ("" for an unknown one);
    ``wide``, three models, whose printed table needs a landscape page.
    """
    content = content or {}
    data = normalised(content.get("analysis"))
    models = data["models"]
    names = {criterion["key"]: criterion["name"] for criterion in data["criteria"]}
    rows = [
        {
            "number": number,
            "name": criterion["name"],
            "cells": [
                {"model": model["name"], "text": data["cells"].get(criterion["key"], {}).get(model["key"], "")}
                for model in models
            ],
        }
        for number, criterion in enumerate(data["criteria"], start=1)
    ]
    quadrants = [
        {
            "name": quadrant,
            "label": label,
            "items": [
                {"text": item.get("text", ""), "criterion": names.get(item.get("criterion"), "")}
                for item in data["swot"][quadrant]
            ],
        }
        for quadrant, label in QUADRANTS.items()
    ]
    style = content.get("reference_style")
    # Made again from the frozen entries, escaped as it is made (with the style's italics), never read back as HTML.
    references = formatted_references_html(data["references"], style=style) if style else []
    return {
        "models": models,
        "rows": rows,
        "quadrants": quadrants,
        "references": references,
        "style": ReferenceStyle(style).label if style in ReferenceStyle.values else "",
        "wide": len(models) > 2,
    }


@register.simple_tag(takes_context=True)
def analysis_files(context, version):
    """The version's files split into ``documents`` (the PDF the portal made) and ``reports`` (what the student
    uploaded: the analytical report), and ``shown_report``, the report the page was asked to open (``?file=`` names
    it), or None to show the analysis itself."""
    files = list(version.files.all()) if version is not None and version.pk else []
    reports = [item for item in files if not item.is_generated]
    request = context.get("request")
    wanted = request.GET.get("file") if request is not None else None
    return {
        "documents": [item for item in files if item.is_generated],
        "reports": reports,
        "shown_report": next((item for item in reports if wanted and str(item.pk) == wanted), None),
    }
