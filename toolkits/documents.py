"""The printed assessment toolkit (WeasyPrint): a cover, the social-history criteria with the instruments that serve
each, every instrument as a blank form a social worker prints and fills in with a client, and a scoring sheet for
each rating scale — what the student hands in with СӨЖ 3, what the grader reads, and the draft's "blank forms"."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.pdf import css_counter_content, css_string, render_pdf
from toolkits.data import category_label, coverage, normalised, scale_points, scoring_sheets, type_label

TEMPLATE = "toolkits/toolkit_pdf.html"


def toolkit_file_name(*, task, version):
    return _("Assessment toolkit — %(label)s — version %(number)d.pdf") % {
        "label": task.display_label,
        "number": version.number,
    }


def _anchors(points):
    """The anchors of a scale's points, each with the number of points to skip before it (``skip``) so that it
    stands under its point: one box per anchor rather than one per point keeps a long form quick to lay out."""
    anchors, next_index = [], 0
    for index, point in enumerate(points):
        if point["anchor"]:
            anchors.append({"point": point["point"], "text": point["anchor"], "skip": index - next_index})
            next_index = index + 1
    return anchors


def _form_item(number, item, names):
    points = scale_points(item)
    return {
        "number": number,
        "text": item["text"],
        "criterion": names.get(item["criterion"], ""),
        "answer": item["answer"],
        "options": [option for option in item["options"] or [] if option],
        "points": points,
        "anchors": _anchors(points),
    }


def toolkit_parts(data):
    """The toolkit as the printed document reads it.

    ``category``, the target client category's label; ``instruments``, one per instrument in its order: its
    ``number``, ``title``, ``type_label``, ``purpose``, ``instructions`` and ``items``, each with its ``number``
    (within the instrument), ``text``, the name of the ``criterion`` it serves ("" for none), its ``answer`` type,
    the ``options`` of a choice, the ``points`` of a scale (``point`` and ``anchor``) and its ``anchors`` as the
    form sets them out (``point``, ``text`` and ``skip``); ``criteria``, one per
    criterion: ``number``, ``name``, ``definition``, ``counts`` (its items in each instrument) and ``total``;
    ``unlinked``, the number of items serving no criterion; ``scoring_sheets`` as toolkits.data makes them, each
    with the ``lowest`` and ``highest`` total its rows can give.
    """
    data = normalised(data)
    table = coverage(data)
    names = {criterion["key"]: criterion["name"] for criterion in data["criteria"]}
    instruments = [
        {
            "number": number,
            "title": instrument["title"],
            "type_label": type_label(instrument["type"]),
            "purpose": instrument["purpose"],
            "instructions": instrument["instructions"],
            "items": [_form_item(position, item, names) for position, item in enumerate(instrument["items"], 1)],
        }
        for number, instrument in enumerate(data["instruments"], start=1)
    ]
    criteria = [
        {
            "number": row["number"],
            "name": row["criterion"]["name"],
            "definition": row["criterion"]["definition"],
            "counts": row["counts"],
            "total": row["total"],
        }
        for row in table["rows"]
    ]
    return {
        "category": category_label(data),
        "instruments": instruments,
        "criteria": criteria,
        "unlinked": table["unlinked"],
        "scoring_sheets": [
            {
                **sheet,
                "lowest": sum(row["lowest"] for row in sheet["rows"]),
                "highest": sum(row["highest"] for row in sheet["rows"]),
            }
            for sheet in scoring_sheets(data)
        ],
    }


def _html(*, data, task, student, version):
    course = task.course
    return render_to_string(
        TEMPLATE,
        {
            "parts": toolkit_parts(data),
            "task": task,
            "course": course,
            "department": course.department,
            "student": student,
            "version": version,
            "running_title": css_string(f"{course.code} · {task.display_label} · {student.display_name}"),
            "footer": None if version else css_string(_("Draft")),
            "page_counter": css_counter_content(_("page %(page)s of %(pages)s")),
        },
    )


def toolkit_html(*, content, task, student, version):
    """The toolkit of a snapshot (``content``) as the HTML WeasyPrint lays out, in the active language: on A4 with
    the department's letterhead on the cover, the course, the task and the student and "page X of Y" at the foot of
    every page. Each instrument's form and each scoring sheet begins a page of its own."""
    return _html(data=(content or {}).get("toolkit"), task=task, student=student, version=version)


def toolkit_pdf(*, content, task, student, version):
    """The PDF of a handed-in toolkit's ``content`` (a version's snapshot), in the active language."""
    return render_pdf(toolkit_html(content=content, task=task, student=student, version=version))


def blank_forms_pdf(*, data, task, student):
    """The PDF of a toolkit not handed in (the working copy's ``data``): the same document, "Draft" on its cover and
    at the foot of every page."""
    return render_pdf(_html(data=data, task=task, student=student, version=None))
