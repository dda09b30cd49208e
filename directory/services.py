"""Keeping the directory of social services in step with the service repositories students hand in."""

from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Department
from directory.models import Entry, EntryCategory, InstitutionReport, Listing
from directory.text import distinct_texts, merge_key, search_fold, tidy
from portfolio.models import ClientCategory, RepositoryRow
from portfolio.repository.check import check_row
from portfolio.repository.columns import COLUMNS_BY_KEY
from portfolio.repository.report import report_view
from portfolio.services import deadline_for

CATEGORY_ORDER = {category: index for index, category in enumerate(ClientCategory.values)}
MAX_PHONES = 3
MAX_TEXTS = 20  # distinct service and eligibility texts kept on an entry, the most common first
DERIVED_FIELDS = [
    "name",
    "organisation_type",
    "region",
    "city",
    "address",
    "phones",
    "email",
    "website",
    "cost",
    "hours",
    "services",
    "eligibility",
    "student_count",
    "checked_on",
    "search_text",
    "name_text",
]


def _most_common(values):
    """The most frequent non-empty value; a tie goes to the value met first (rows come newest first)."""
    counts = Counter(value for value in values if value)
    return counts.most_common(1)[0][0] if counts else ""


def _spelling(values):
    """The most frequent spelling; a tie goes to one not written in capitals only, then to the newest."""
    counts = Counter(value for value in values if value)
    return max(counts, key=lambda value: (counts[value], not value.isupper()), default="")


def entry_values(rows):
    """The derived fields of an entry and its categories, from its rows, newest hand-in first.

    ``rows`` are RepositoryRow objects carrying ``student_id``. Spellings, type, region, contacts, cost and hours:
    the most common among the rows (a tie: the newest, and for a spelling, one not in capitals only); phones: up to
    three, the most common first; services and eligibility: every distinct text (up to twenty); the date: the latest
    check; the count: distinct students.
    """
    names = distinct_texts((row.organisation for row in rows), None)
    city = _spelling(tidy(row.city) for row in rows)
    services = distinct_texts((row.services for row in rows), MAX_TEXTS)
    eligibility = distinct_texts((row.eligibility for row in rows), MAX_TEXTS)
    address = _most_common(tidy(row.address) for row in rows)
    checked = [row.checked_on for row in rows if row.checked_on]
    values = {
        "name": _spelling(tidy(row.organisation) for row in rows),
        "organisation_type": _most_common(row.organisation_type for row in rows),
        "region": _most_common(row.region for row in rows),
        "city": city,
        "address": address,
        "phones": ", ".join(distinct_texts((row.phone for row in rows), MAX_PHONES)),
        "email": _most_common(row.email.strip() for row in rows),
        "website": _most_common(row.website.strip() for row in rows),
        "cost": _most_common(row.cost for row in rows),
        "hours": _most_common(tidy(row.hours) for row in rows),
        "services": "\n".join(services),
        "eligibility": "\n".join(eligibility),
        "student_count": len({row.student_id for row in rows}),
        "checked_on": max(checked, default=None),
        "search_text": search_fold(" ".join([*names, city, address, *services, *eligibility])),
        "name_text": search_fold(" ".join([*names, city])),
    }
    categories = sorted({row.client_category for row in rows}, key=CATEGORY_ORDER.__getitem__)
    return values, categories


def _lock_department(version):
    """The department of the version's course, locked so that two hand-ins refresh its directory one at a time.

    FOR NO KEY UPDATE: new rows that point at the department (courses, accounts) are not held up by the lock.
    """
    return (
        Department.objects.select_for_update(no_key=True, of=("self",))
        .filter(courses__tasks__submissions__versions=version)
        .get()
    )


def _entries_for(department, rows):
    """The entry of each row's merge key, created (from the row's values, refreshed just after) where missing."""
    keyed = {}
    for row in rows:
        keyed.setdefault(merge_key(row.organisation, row.city), row)
    entries = {entry.key: entry for entry in Entry.objects.filter(department=department, key__in=keyed)}
    missing = [
        Entry(
            department=department,
            key=key,
            name=tidy(row.organisation),
            organisation_type=row.organisation_type,
            region=row.region,
            city=tidy(row.city),
            services=tidy(row.services),
            search_text="",
        )
        for key, row in keyed.items()
        if key not in entries
    ]
    for entry in Entry.objects.bulk_create(missing):
        entries[entry.key] = entry
    return {row.pk: entries[merge_key(row.organisation, row.city)] for row in rows}


def _recompute(entry_ids):
    """Derive every touched entry again from the rows of latest versions listed in it; delete the ones left bare."""
    rows = (
        RepositoryRow.objects.filter(directory_listing__entry_id__in=entry_ids, version__is_latest=True)
        .annotate(entry_id=F("directory_listing__entry_id"), student_id=F("version__submission__student_id"))
        .order_by("-version__submitted_at", "-version_id", "line")
    )
    by_entry = defaultdict(list)
    for row in rows:
        by_entry[row.entry_id].append(row)
    entries = list(Entry.objects.filter(pk__in=by_entry))
    categories = []
    for entry in entries:
        values, entry_categories = entry_values(by_entry[entry.pk])
        for field, value in values.items():
            setattr(entry, field, value)
        categories += [EntryCategory(entry=entry, category=category) for category in entry_categories]
    bare = Entry.objects.filter(pk__in=set(entry_ids) - set(by_entry))
    kept = _kept(bare)
    kept.update(student_count=0)
    bare.exclude(pk__in=kept.values("pk")).delete()
    _write(entries)
    EntryCategory.objects.filter(entry_id__in=by_entry).delete()
    EntryCategory.objects.bulk_create(categories)


def _kept(entries):
    """The entries among ``entries`` that stay without rows: one a student added, or one a report is about."""
    return entries.filter(models.Q(added_by__isnull=False) | models.Q(institution_reports__isnull=False)).distinct()


def _write(entries):
    """Store the derived fields of ``entries`` (and on PostgreSQL their full-text vector): one UPDATE statement run
    for every entry through ``executemany``, one query whatever the number of entries.

    Not ``bulk_update``: its CASE … WHEN for every field of every entry costs Django about half a millisecond per
    value to build, more than half a second for a hand-in of a hundred organisations.
    """
    fields = [Entry._meta.get_field(name) for name in DERIVED_FIELDS]
    quote = connection.ops.quote_name
    assignments = [f"{quote(field.column)} = %s" for field in fields]
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        assignments.append(f"{quote('search_vector')} = to_tsvector('simple', %s)")
    table = quote(Entry._meta.db_table)
    # Only names of the model's own columns are put into the statement; every value is a parameter.
    sql = f"UPDATE {table} SET {', '.join(assignments)} WHERE {quote('id')} = %s"  # noqa: S608
    params = [
        [field.get_db_prep_save(getattr(entry, field.attname), connection) for field in fields]
        + ([entry.search_text] if postgresql else [])
        + [entry.pk]
        for entry in entries
    ]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


@transaction.atomic
def directory_refresh(*, version, replaced=None):
    """Take a handed-in version's rows into its department's directory and drop the rows of the version it replaces.

    Rule: the directory counts the valid rows of latest handed-in versions only. The new version's rows come in all
    at once, each listed in the entry of its merge key (organisation and city, folded), which is created when new;
    the replaced version's rows leave. Only the entries those rows touch are derived again, from all their rows; an
    entry left with no rows is deleted unless a student added it or an institution report is about it (it is kept,
    counted as listed by no student), and a hidden entry stays hidden. The number of queries does not grow with
    the directory's size. The department is that of the version's course.
    """
    dropped = Listing.objects.filter(row__version=replaced) if replaced is not None else Listing.objects.none()
    dropped_entries = set(dropped.values_list("entry_id", flat=True))
    rows = list(version.rows.all()) if version.is_latest else []
    if not rows and not dropped_entries:
        return
    department = _lock_department(version)
    dropped.delete()
    entry_of = _entries_for(department, rows)
    Listing.objects.bulk_create([Listing(entry=entry_of[row.pk], row=row) for row in rows])
    _recompute(dropped_entries | {entry.pk for entry in entry_of.values()})


@transaction.atomic
def entry_hide(*, entry, hidden_by, now=None):
    """Hide a wrong entry from students; staff still see it, marked. It stays hidden however its rows change."""
    entry.is_hidden = True
    entry.hidden_by = hidden_by
    entry.hidden_at = now or timezone.now()
    entry.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
    return entry


@transaction.atomic
def entry_show(*, entry):
    """Show a hidden entry to students again."""
    entry.is_hidden = False
    entry.hidden_by = None
    entry.hidden_at = None
    entry.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
    return entry


def _refuse_if_closed(task, student, now):
    deadline = deadline_for(task=task, student=student)
    if deadline.is_closed(now):
        raise ValidationError(
            _("The institution of the report can no longer be changed: the task closed on %(moment)s.")
            % {"moment": timezone.localtime(deadline.cutoff_at).strftime("%d.%m.%Y %H:%M")},
            code="closed",
        )


@transaction.atomic
def institution_choose(*, task, student, entry, now=None):
    """Choose (or change) the institution a student's report for ``task`` is about: an entry of the course's
    department, until the task's cut-off for this student (after any extension). One choice per student and task;
    a new one replaces it."""
    now = now or timezone.now()
    _refuse_if_closed(task, student, now)
    if entry.department_id != task.course.department_id or entry.is_hidden:
        raise ValidationError(_("This organisation cannot be chosen."), code="entry")
    report, _created = InstitutionReport.objects.update_or_create(
        task=task, student=student, defaults={"entry": entry, "chosen_at": now}
    )
    return report


def _cells(values):
    """The form's values as cells of a repository row: a fixed column's code written as its list's words."""
    cells = {}
    for key, value in values.items():
        vocabulary = COLUMNS_BY_KEY[key].vocabulary
        cells[key] = vocabulary.term(value).en if vocabulary is not None and value else value
    return cells


def _field_errors(problems):
    """The row check's problems as errors of the form's fields, in the reader's language."""
    view = report_view({"format": 1, "problems": problems})
    errors = defaultdict(list)
    for item, problem in zip(problems, view.problems, strict=True):
        errors[item["field"]].append(f"{problem.what} {problem.how}".strip())
    return dict(errors)


@transaction.atomic
def institution_add(*, task, student, values, now=None):
    """Add an organisation missing from the directory and choose it for the student's report.

    Rule: ``values`` (organisation, organisation_type, client_category, services, region, city, phone, email,
    website — codes for the fixed columns) go through the repository's row check; any problem refuses the whole row,
    each error named on its field, and nothing is stored. An entry of the same merge key in the department is chosen
    instead of a duplicate (refused when an instructor has hidden it). A new entry is marked as added by the student,
    counted as listed by no student, and stays when it has no rows. The cut-off is that of ``institution_choose``.
    """
    now = now or timezone.now()
    _refuse_if_closed(task, student, now)
    row, problems = check_row(_cells(values), today=timezone.localdate(now))
    if problems:
        raise ValidationError(_field_errors(problems))
    department = Department.objects.select_for_update(no_key=True).get(pk=task.course.department_id)
    key = merge_key(row["organisation"], row["city"])
    entry = Entry.objects.filter(department=department, key=key).first()
    if entry is None:
        listed = RepositoryRow(**row)
        listed.student_id = student.pk
        derived, categories = entry_values([listed])
        derived["student_count"] = 0
        entry = Entry.objects.create(department=department, key=key, added_by=student, **derived)
        _write([entry])  # on PostgreSQL, the full-text vector
        EntryCategory.objects.bulk_create(EntryCategory(entry=entry, category=category) for category in categories)
    elif entry.is_hidden:
        raise ValidationError(
            {"organisation": _("This organisation is in the directory, but an instructor has hidden it as wrong.")}
        )
    return institution_choose(task=task, student=student, entry=entry, now=now)
