"""The one file of the student's own that a version of work built in the portal carries (СӨЖ 4's analytical report,
СӨЖ 3's presentation): staged in the student's draft by a form of its own beside the editor, and taken out by
another. Written once here for the page of every such deliverable; each page says what happened in its own words."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError

from config.messages import report_errors
from portfolio.selectors import staged_files_of
from portfolio.services import draft_add_files, draft_remove_file


@dataclass(frozen=True)
class StagedFileTexts:
    """What a page says of its file: a second one refused while one is there, one uploaded, one removed."""

    occupied: str
    uploaded: str
    removed: str


def staged_file_upload(request, *, task, form, field, texts):
    """Stage the file of ``form``'s ``field`` in the student's draft and say what happened. A version holds one such
    file: while one is there, another is refused until the student removes it (the page offers no upload then)."""
    if not form.is_valid():
        report_errors(request, form)
    elif staged_files_of(task=task, student=request.user):
        messages.error(request, texts.occupied)
    else:
        try:
            draft_add_files(task=task, student=request.user, uploads=[form.cleaned_data[field]])
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, texts.uploaded)


def staged_file_remove(request, *, staged, texts):
    """Take ``staged`` (a file the page's access helper found among the student's staged ones) out of the draft and
    say what happened; a version handed in keeps it."""
    try:
        draft_remove_file(submission_file=staged)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, texts.removed)
