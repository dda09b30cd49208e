"""Remove what killed or failed uploads left in private storage, on a disk or in a bucket."""

import os
import re
import time
from functools import partial
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models

from portfolio.storing import (
    TEMPORARY_AREA,
    Found,
    has_local_path,
    private_storage,
    stored_files,
    unfinished_uploads,
)

# Beyond this share of the stored files, orphans are more likely the sign of the wrong database than of killed
# requests, which leave a version's files each at most.
ORPHAN_SHARE_LIMIT = 0.2

# The names Django gives an upload's temporary file (TemporaryUploadedFile: tempfile's "tmp" and eight random
# characters, then ".upload" and the original extension). FILE_UPLOAD_TEMP_DIR may be a folder other programs use
# too (/tmp): nothing else there is touched.
_UPLOAD_TEMPORARY_NAME = re.compile(r"tmp[a-z0-9_]{8}\.upload(\..*)?", re.DOTALL)


class Command(BaseCommand):
    help = (
        "Remove, from private storage (a folder or a bucket), every file older than --older-than minutes (60 by "
        "default) that is either a temporary leftover (an upload's temporary file, named by Django, at the top of "
        f"FILE_UPLOAD_TEMP_DIR; a file still waiting in the storage's {TEMPORARY_AREA}/ area; a bucket's unfinished "
        "multipart upload) or an orphan that no row names. Files rows "
        "name are never touched, nor anything else in FILE_UPLOAD_TEMP_DIR, and younger files are kept, since a "
        "request may still be writing them. Orphans are not removed, and the command fails saying why, when the "
        "database names no file at all or when they are more than a version's files and more than 20% of the stored "
        "files: that is "
        "the wrong database (run it with the service's environment), unless --force says they really are orphans. "
        "Temporary "
        "leftovers are removed all the same. Meant for cron, e.g. hourly; with --dry-run nothing is removed and the "
        "summary says what would be."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, metavar="MINUTES", help="Age in minutes (60).")
        parser.add_argument("--dry-run", action="store_true", help="Remove nothing; count what would be removed.")
        parser.add_argument(
            "--force", action="store_true", help="Remove orphans even when they look like the wrong database's."
        )

    def handle(self, *args, older_than=60, dry_run=False, force=False, **options):
        storage = private_storage()
        local = has_local_path(storage)
        incoming = Path(settings.FILE_UPLOAD_TEMP_DIR).resolve() if settings.FILE_UPLOAD_TEMP_DIR else None
        cutoff = time.time() - older_than * 60
        named = _named_files(storage)
        orphans, leftovers, kept, stored = [], [], 0, 0
        for item in stored_files(storage):
            if local and Path(storage.path(item.name)).parent.resolve() == incoming:
                continue  # an upload arriving, or a file not ours: looked at below, by name
            if item.name.startswith(f"{TEMPORARY_AREA}/"):
                if item.modified < cutoff:
                    leftovers.append(item)
                continue
            stored += 1
            if item.name in named:
                kept += 1
            elif item.modified < cutoff:
                orphans.append(item)
        leftovers += [item for item in _upload_temporaries(incoming) if item.modified < cutoff]
        leftovers += [item for item in unfinished_uploads(storage) if item.modified < cutoff]
        refusal = None if force else _refusal(named, orphans, stored)
        removed = leftovers if refusal else orphans + leftovers
        if not dry_run:
            for item in removed:
                item.remove()
        verb = "Would remove" if dry_run else "Removed"
        if refusal:
            self.stdout.write(
                f"{verb} {len(leftovers)} temporary leftover(s) ({_megabytes(leftovers)}) older than "
                f"{older_than} min; left {len(orphans)} orphan file(s) ({_megabytes(orphans)}) in place."
            )
            raise CommandError(refusal)
        self.stdout.write(
            f"{verb} {len(orphans)} orphan file(s) ({_megabytes(orphans)}) and {len(leftovers)} temporary "
            f"leftover(s) ({_megabytes(leftovers)}) older than {older_than} min; kept {kept} file(s) that "
            "rows name."
        )


def _refusal(named, orphans, stored):
    """Why the orphans found must not be removed, or None. Run against another database than the service's (cron
    without its environment falls back to an empty SQLite file), every stored file would seem an orphan."""
    if not orphans:
        return None
    where = _database()
    if not named:
        why = f"the {where} names no stored file at all, yet the storage holds {stored}"
    # A request killed just before its commit leaves at most a version's files: so many are always removed when the
    # database names some files, so that a young installation's hourly run does not fail until someone forces it.
    elif len(orphans) > max(settings.PORTFOLIO_MAX_FILES, ORPHAN_SHARE_LIMIT * stored):
        why = (
            f"{len(orphans)} of the {stored} stored files ({len(orphans) / stored:.0%}) are named by no row of the "
            f"{where}, more than the {ORPHAN_SHARE_LIMIT:.0%} killed uploads could leave"
        )
    else:
        return None
    return (
        f"Orphans not removed: {why}. Is this the service's database? Run the command with the service's "
        "environment (DATABASE_URL, and PRIVATE_STORAGE_ROOT or STORAGE_BUCKET); add --force only if these files "
        "really are orphans."
    )


def _database():
    """The database looked at, as an operator would recognise it (never its password)."""
    described = f"{connection.vendor} database {connection.settings_dict['NAME']}"
    host = connection.settings_dict.get("HOST")
    return f"{described} on {host}" if host else described


def _named_files(storage):
    """The names of every file a row points at, over every file field kept in ``storage``."""
    named = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and _place(field.storage) == _place(storage):
                rows = model._default_manager.exclude(**{field.attname: ""})
                named.update(rows.values_list(field.attname, flat=True))
    return named


def _place(storage):
    """Where a storage keeps its files: a folder, or a bucket and the prefix in it."""
    return getattr(storage, "bucket_name", None), storage.location


def _upload_temporaries(folder):
    """The temporary files of uploads at the top of ``folder``: only what Django names so, never a link."""
    if folder is None or not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        paths = [
            Path(entry.path)
            for entry in entries
            if entry.is_file(follow_symlinks=False) and _UPLOAD_TEMPORARY_NAME.fullmatch(entry.name)
        ]
    return [_found(path) for path in paths]


def _found(path):
    status = path.stat()
    return Found(str(path), status.st_mtime, status.st_size, partial(path.unlink, missing_ok=True))


def _megabytes(items):
    return f"{sum(item.size for item in items) / (1024 * 1024):.1f} MB"
