"""What the rendering of a handed-in assessment toolkit needs: from its snapshot, the toolkit as the printed document
reads it (``toolkits.documents.toolkit_parts``: the one reading, for the page as for the PDF); from its version, the
presentation the student uploaded."""

from django import template

from toolkits.documents import toolkit_parts

register = template.Library()


@register.simple_tag
def toolkit_rendering(content):
    """The toolkit of a snapshot (``content``, a version's ``{"kind": "assessment_toolkit", "toolkit": …}``) as
    ``toolkits.documents.toolkit_parts`` gives it: the category, the criteria with their coverage, the instruments
    with their items and the scoring sheets."""
    return toolkit_parts((content or {}).get("toolkit"))


@register.simple_tag(takes_context=True)
def toolkit_files(context, version):
    """The version's files split into ``documents`` (the PDF the portal made) and ``presentations`` (what the student
    uploaded), and ``shown_presentation``, the presentation the page was asked to open (``?file=`` names it), or
    None to show the toolkit itself."""
    files = list(version.files.all()) if version is not None and version.pk else []
    presentations = [item for item in files if not item.is_generated]
    request = context.get("request")
    wanted = request.GET.get("file") if request is not None else None
    return {
        "documents": [item for item in files if item.is_generated],
        "presentations": presentations,
        "shown_presentation": next((item for item in presentations if wanted and str(item.pk) == wanted), None),
    }
