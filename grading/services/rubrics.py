"""Rubric workflows: the seed rubric and the example rubrics, saving a rubric with its criteria and levels,
copying one, attaching one to a task."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.i18n import spread_translations
from coursework.models import TaskChange
from coursework.services.courses import FIXTURES, seed_read
from grading.models import Criterion, Grade, HolisticBand, HolisticScale, Level, Rubric

CRITERION_FIELDS = ("title", "title_ru", "title_en")
LEVEL_FIELDS = (
    "title",
    "title_ru",
    "title_en",
    "descriptor",
    "descriptor_ru",
    "descriptor_en",
    "min_percent",
    "max_percent",
)


def rubric_is_graded(rubric):
    """Whether any grade was given with this rubric; such a rubric keeps its criteria and levels."""
    return rubric.pk is not None and Grade.objects.filter(rubric=rubric).exists()


def _check_structure(criteria):
    errors = []
    if not criteria:
        errors.append(_("A rubric needs at least one criterion."))
    for number, criterion in enumerate(criteria, start=1):
        levels = criterion["levels"]
        if len(levels) < 2:
            errors.append(_("Criterion %(number)d needs at least two levels.") % {"number": number})
        for level in levels:
            low, high = Decimal(level["min_percent"]), Decimal(level["max_percent"])
            if not Decimal(0) <= low <= high <= Decimal(100):
                errors.append(
                    _("Criterion %(number)d: a level's range must satisfy 0 ≤ from ≤ to ≤ 100.") % {"number": number}
                )
    if errors:
        raise ValidationError(errors)


def _check_rows(existing, criteria):
    """Every pk given is one of this rubric's criteria, or a level of the criterion it is listed under."""
    levels = {criterion.pk: {level.pk for level in criterion.levels.all()} for criterion in existing}
    for criterion in criteria:
        if criterion.get("pk") is not None and criterion["pk"] not in levels:
            raise ValidationError(_("The form refers to a criterion of another rubric. Reload the page."))
        known = levels.get(criterion.get("pk"), set())
        if any(level.get("pk") is not None and level["pk"] not in known for level in criterion["levels"]):
            raise ValidationError(_("The form refers to a level of another criterion. Reload the page."))


def _sync(model, existing, rows, fields, parent):
    """Update the listed rows that exist, create the new ones, delete the existing ones left out.

    A row's position is its place in the list.
    """
    by_pk = {row.pk: row for row in existing}
    saved = []
    for position, values in enumerate(rows, start=1):
        row = by_pk[values["pk"]] if values.get("pk") is not None else model(**parent)
        row.position = position
        for field in fields:
            setattr(row, field, values.get(field, ""))
        row.save()
        saved.append(row)
    kept = {row.pk for row in saved}
    removed = [row.pk for row in existing if row.pk not in kept]
    if removed:
        model.objects.filter(pk__in=removed).delete()
    return saved


def rubric_save(*, rubric, criteria, seen_updated_at=""):
    """Save a rubric (new or existing) with exactly the criteria and levels given, all or nothing.

    Rules: a rubric has at least one criterion and each criterion at least two levels, every range
    within 0 ≤ from ≤ to ≤ 100. ``criteria`` is the whole rubric in order: each item holds the
    criterion's fields, its ``pk`` when it exists already (None for a new one) and its ``levels`` the
    same way; a row's place in its list is its position, and existing rows left out are deleted. Rows
    of another rubric or criterion cannot be referred to. A rubric that has grades is refused: changing
    it would change what graded work was measured against, so it is copied instead. With
    ``seen_updated_at`` (the rubric's ``updated_at`` in ISO format when the editor opened it), the save
    is refused when someone else saved the rubric since.
    """
    _check_structure(criteria)
    with transaction.atomic():
        existing = []
        if rubric.pk is not None:
            # Serialise editors of the same rubric; the grades are read inside the same transaction.
            current = Rubric.objects.select_for_update().get(pk=rubric.pk)
            if seen_updated_at and current.updated_at.isoformat() != seen_updated_at:
                raise ValidationError(
                    _(
                        "Someone else saved this rubric after you opened it, so your changes were not saved. "
                        "Open the rubric again to see theirs."
                    ),
                    code="stale",
                )
            if rubric_is_graded(rubric):
                raise ValidationError(
                    _("Grades were given with this rubric, so its criteria and levels cannot change. Make a copy."),
                    code="graded",
                )
            existing = list(rubric.criteria.prefetch_related("levels"))
        _check_rows(existing, criteria)
        rubric.save()
        saved = _sync(Criterion, existing, criteria, CRITERION_FIELDS, {"rubric": rubric})
        old_levels = {criterion.pk: list(criterion.levels.all()) for criterion in existing}
        for criterion, values in zip(saved, criteria, strict=True):
            _sync(Level, old_levels.get(criterion.pk, []), values["levels"], LEVEL_FIELDS, {"criterion": criterion})
    return rubric


@transaction.atomic
def task_rubric_set(*, task, rubric, by=None):
    """Attach ``rubric`` to a task, or detach it with None.

    Grades already given keep the rubric they were given with; the next save of a grade uses the task's
    rubric of that moment. A change is kept in the task's log (TaskChange ``rubric``) with the number of grades
    given so far.
    """
    previous = task.rubric_id
    task.rubric = rubric
    task.save(update_fields=["rubric"])
    rubric_change_record(task=task, previous=previous, by=by)
    return task


def rubric_change_record(*, task, previous, by, graded=None):
    """Log that the task's rubric changed from the rubric with pk ``previous`` (nothing when it did not)."""
    if previous == task.rubric_id:
        return
    if graded is None:
        graded = Grade.objects.filter(submission__task=task).count()
    TaskChange.objects.create(
        task=task,
        kind=TaskChange.Kind.RUBRIC,
        old_value="" if previous is None else str(previous),
        new_value="" if task.rubric_id is None else str(task.rubric_id),
        affected_grades=graded,
        changed_by=by,
    )


WEIGHT_NOTE_FIELDS = ("weight_note", "weight_note_ru", "weight_note_en")


def _seed_criteria(rubric_data):
    """A rubric of a seed file as ``rubric_save`` takes it (no pks: every row new).

    The seed shape: ``levels`` (titles, and ranges shared by every criterion) and ``criteria``, each with its
    title, one descriptor per level and, when its weight differs from the shared ranges, its own ``ranges``
    ([from, to] per level, in the levels' order).
    """
    criteria = []
    for criterion in rubric_data["criteria"]:
        ranges = criterion.get("ranges") or [(level["min"], level["max"]) for level in rubric_data["levels"]]
        levels = [
            {
                **spread_translations(level["title"], "title"),
                **spread_translations(descriptor, "descriptor"),
                "min_percent": Decimal(low),
                "max_percent": Decimal(high),
            }
            for level, descriptor, (low, high) in zip(
                rubric_data["levels"], criterion["descriptors"], ranges, strict=True
            )
        ]
        criteria.append({**spread_translations(criterion["title"], "title"), "levels": levels})
    return criteria


def _rubric_fields(rubric_data):
    """The rubric's own columns from a seed file: its title and weight note in three languages."""
    note = rubric_data.get("weight_note") or {"kk": ""}
    return {**spread_translations(rubric_data["title"], "title"), **spread_translations(note, "weight_note")}


def _stored_criteria(rubric):
    """A saved rubric's criteria in ``_seed_criteria``'s shape, each row with its pk."""
    return [
        {
            "pk": criterion.pk,
            **{field: getattr(criterion, field) for field in CRITERION_FIELDS},
            "levels": [
                {"pk": level.pk, **{field: getattr(level, field) for field in LEVEL_FIELDS}}
                for level in criterion.levels.all()
            ],
        }
        for criterion in rubric.criteria.prefetch_related("levels")
    ]


def _onto_stored(stored, wanted):
    """``wanted`` with the pks of the stored rows at the same places, so that rows are updated, not replaced."""
    matched = []
    for index, criterion in enumerate(wanted):
        old = stored[index] if index < len(stored) else {"pk": None, "levels": []}
        levels = [
            {**level, "pk": old["levels"][number]["pk"] if number < len(old["levels"]) else None}
            for number, level in enumerate(criterion["levels"])
        ]
        matched.append({**criterion, "pk": old["pk"], "levels": levels})
    return matched


@transaction.atomic
def essay_rubric_ensure():
    """The course document's essay rubric and holistic scale, created once (shared by every department).

    The weight note the document heads the rubric with ("АБ 100%-дың 25%") is filled in when the rubric has
    none, so that a rubric created before the note existed gets it; a note someone wrote is kept.
    """
    data = seed_read(FIXTURES / "essay_rubric.json")
    scale_data = data["holistic_scale"]
    # The shared scale only: a department that copied the essay rubric has a scale of the same title of its own.
    scale, created = HolisticScale.objects.get_or_create(
        title=scale_data["title"]["kk"], department=None, defaults=spread_translations(scale_data["title"], "title")
    )
    if created:
        for position, band in enumerate(scale_data["bands"], start=1):
            HolisticBand.objects.create(
                scale=scale,
                position=position,
                label=band["label"],
                min_percent=Decimal(band["min"]),
                max_percent=Decimal(band["max"]),
                originality_min=Decimal(band["originality_min"]) if band["originality_min"] else None,
                timeliness=band["timeliness"],
                **spread_translations(band["title"], "title"),
                **spread_translations(band["descriptor"], "descriptor"),
            )
    rubric_data = data["rubric"]
    fields = _rubric_fields(rubric_data)
    rubric, created = Rubric.objects.get_or_create(
        title=rubric_data["title"]["kk"], department=None, defaults={**fields, "holistic_scale": scale}
    )
    if created:
        rubric_save(rubric=rubric, criteria=_seed_criteria(rubric_data))
    elif not any(getattr(rubric, field) for field in WEIGHT_NOTE_FIELDS):
        for field in WEIGHT_NOTE_FIELDS:
            setattr(rubric, field, fields[field])
        rubric.save(update_fields=[*WEIGHT_NOTE_FIELDS, "updated_at"])
    return rubric


@transaction.atomic
def example_rubrics_ensure():
    """The example rubrics of the structured deliverables (fixtures/example_rubrics.json), created or brought
    up to date; returns them by deliverable.

    Rules: an example is shared (no department) and marked ``is_example``; it is found again by its Kazakh
    title. A rubric that matches its seed is not written at all, so a second run changes nothing. One that
    differs is brought to the seed with ``rubric_save``, its rows updated in place, unless grades were given
    with it: then, as ``rubric_save`` rules, its criteria and levels stay and only its titles and note change.
    """
    data = seed_read(FIXTURES / "example_rubrics.json")
    examples = {}
    for rubric_data in data["rubrics"]:
        fields = _rubric_fields(rubric_data)
        rubric = Rubric.objects.filter(title=fields["title"], department=None, is_example=True).first() or Rubric(
            department=None, is_example=True
        )
        wanted = _seed_criteria(rubric_data)
        stored = _stored_criteria(rubric) if rubric.pk else []
        fields_differ = any(getattr(rubric, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(rubric, name, value)
        criteria_differ = [_without_pks(criterion) for criterion in stored] != wanted
        if criteria_differ and not rubric_is_graded(rubric):
            rubric_save(rubric=rubric, criteria=_onto_stored(stored, wanted))
        elif fields_differ:
            rubric.save()
        examples[rubric_data["deliverable"]] = rubric
    return examples


def _without_pks(criterion):
    return {
        **{name: value for name, value in criterion.items() if name not in ("pk", "levels")},
        "levels": [{name: value for name, value in level.items() if name != "pk"} for level in criterion["levels"]],
    }


@transaction.atomic
def rubric_copy(*, rubric, department, user, title=None):
    """A department's own editable copy of a rubric, criteria, levels and weight note included.

    The copy is the department's own work, so it is never an example, even when the original is one.
    """
    copy = Rubric.objects.create(
        title=title or _("%(title)s (copy)") % {"title": rubric.title},
        title_ru=rubric.title_ru,
        title_en=rubric.title_en,
        **{field: getattr(rubric, field) for field in WEIGHT_NOTE_FIELDS},
        is_example=False,
        department=department,
        holistic_scale=_department_scale(rubric.holistic_scale, department),
        created_by=user,
    )
    for criterion in rubric.criteria.prefetch_related("levels"):
        levels = list(criterion.levels.all())
        criterion.pk = None
        criterion.rubric = copy
        criterion.save()
        for level in levels:
            level.pk = None
            level.criterion = criterion
            level.save()
    # Each row saved moved the copy's updated_at on (grading.receivers): the copy returned carries the last one.
    copy.save(update_fields=["updated_at"])
    return copy


def _department_scale(scale, department):
    """The department's own copy of a holistic scale (bands included), so that it can set its own band rules."""
    if scale is None or department is None or scale.department_id == department.pk:
        return scale
    return _scale_copy(scale, department)


def _scale_copy(scale, department):
    """A copy of a holistic scale, its bands included, belonging to ``department``."""
    bands = list(scale.bands.all())
    scale = HolisticScale.objects.get(pk=scale.pk)  # a fresh row to copy: the caller's object stays the original
    scale.pk = None
    scale.department = department
    scale.save()
    for band in bands:
        band.pk = None
        band.scale = scale
    HolisticBand.objects.bulk_create(bands)
    return scale


@transaction.atomic
def holistic_bands_save(*, rubric, rows):
    """Set the band rules a department's rubric grades with: each band's range, the originality it asks and
    whether it asks work handed in on time.

    ``rows`` maps each band's position to its new values. Rule: the seed's shared scale never changes; a rubric
    that still uses it gets the department's own copy first. A rubric's band rules are its own: one that shares
    its scale with another rubric (a copy made in the same department) gets a copy of its own first, so that
    the rules of a colleague's rubric, which only its author and the department admin may change, stay as they
    were. Percentages are 0–100 (the form checks them) and a band's lower bound is not above its upper one. All
    or nothing; returns the rubric's bands.
    """
    if rubric.department_id is None:
        raise ValueError("a shared rubric's bands are not edited here; copy the rubric into a department first")
    scale = _department_scale(rubric.holistic_scale, rubric.department)
    if (
        scale.pk == rubric.holistic_scale_id
        and Rubric.objects.filter(holistic_scale=scale).exclude(pk=rubric.pk).exists()
    ):
        scale = _scale_copy(scale, rubric.department)
    if scale.pk != rubric.holistic_scale_id:
        rubric.holistic_scale = scale
        rubric.save(update_fields=["holistic_scale", "updated_at"])
    bands = {band.position: band for band in scale.bands.all()}
    errors = [
        _("“%(band)s”: the lower bound is above the upper one.") % {"band": bands[position].display_title}
        for position, values in rows.items()
        if values["min_percent"] > values["max_percent"]
    ]
    if errors:
        raise ValidationError(errors)
    for position, values in rows.items():
        band = bands[position]
        for name, value in values.items():
            setattr(band, name, value)
        band.save(update_fields=list(values))
    return list(bands.values())
