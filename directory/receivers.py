"""The directory's answers to what portfolio reports (``portfolio.signals``)."""

from django.dispatch import receiver

from directory.services import directory_refresh
from portfolio.signals import version_submitted


@receiver(version_submitted, dispatch_uid="directory_refresh")
def version_take(sender, *, version, replaced, **kwargs):
    """A handed-in version's rows join its department's directory, and the rows of the version it replaces leave,
    in the hand-in's own transaction: the directory never holds half of a version."""
    directory_refresh(version=version, replaced=replaced)
