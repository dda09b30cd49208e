"""What portfolio tells the apps above it, which it may not import."""

from django.dispatch import Signal

# Sent by ``portfolio.services.draft_submit`` inside its transaction, once the new version and its checked rows are
# stored, with ``version`` (the version handed in) and ``replaced`` (the submission's previous latest version, or
# None): an app that keeps what versions hold (the directory of social services) takes the new rows and drops the
# replaced ones.
version_submitted = Signal()
