"""The service repository's check report on a page: ``{% repository_report version as report %}``."""

from django import template

from portfolio.repository.report import report_view

register = template.Library()


@register.simple_tag
def repository_report(version):
    """The version's check report in the reader's language, or None when the version has none."""
    return report_view(getattr(version, "check_report", None))
