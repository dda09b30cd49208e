"""A rubric's criteria and levels as the task and grading pages show them, read once per process for each state of
the rubric.

Every task page and grading page shows its rubric, and its criteria and levels change only when someone edits the
rubric: ``rubric_save`` saves the rubric itself, and saving or deleting a criterion or a level anywhere else (the
admin) touches the rubric's ``updated_at`` (``grading.receivers``). So the rubric's ``updated_at``, which the page
reads with its task, tells whether what this process read before is still the rubric's: an edit gives a new key, and
every process reads the rubric again on its next page."""

import threading
from collections import OrderedDict

from django.db.models import Prefetch

from grading.models import Criterion, Level

CACHED_RUBRICS = 64

_criteria = OrderedDict()
_lock = threading.Lock()


def rubric_criteria(rubric):
    """The rubric's criteria in order, each with its levels in order (``criterion.levels.all()``), each criterion
    knowing its rubric. Shared between the requests of this process: read them, never change them."""
    key = (rubric.pk, rubric.updated_at)
    with _lock:
        criteria = _criteria.get(key)
        if criteria is not None:
            _criteria.move_to_end(key)
    if criteria is None:
        levels = Prefetch("levels", queryset=Level.objects.order_by("position", "pk"))
        criteria = tuple(Criterion.objects.filter(rubric=rubric).order_by("position", "pk").prefetch_related(levels))
        for criterion in criteria:
            criterion.rubric = rubric
        with _lock:
            _criteria[key] = criteria
            while len(_criteria) > CACHED_RUBRICS:
                _criteria.popitem(last=False)
    return list(criteria)


def forget_rubrics():
    """Drop what this process read (the tests, which reuse primary keys and clock times across databases)."""
    with _lock:
        _criteria.clear()
