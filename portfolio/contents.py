"""How portfolio's pages show a deliverable built in the portal: the app that builds it (above portfolio) registers
the template that renders its kind of ``Version.content``, so portfolio shows it without knowing that app."""

_TEMPLATES = {}


def content_template_register(kind, template_name):
    """Render versions whose content is of ``kind`` with ``template_name`` (called from an AppConfig's ready())."""
    _TEMPLATES[kind] = template_name


def content_template_for(version):
    """The template that renders the version's content, or None for a version of files only."""
    if version is None or not version.content:
        return None
    return _TEMPLATES.get(version.content.get("kind"))
