"""Remove what killed or failed uploads left in private storage."""

import os
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models

from portfolio.storing import TEMPORARY_AREA, private_storage


class Command(BaseCommand):
    help = (
        "Remove, from private storage, every file older than --older-than minutes (60 by default) that is either a "
        "temporary leftover (an upload's temporary file in FILE_UPLOAD_TEMP_DIR, a file still waiting in the "
        f"storage's {TEMPORARY_AREA}/ area) or an orphan that no row names. Files rows name are never touched, and "
        "younger files are kept, since a request may still be writing them. Meant for cron, e.g. hourly; with "
        "--dry-run nothing is removed and the summary says what would be."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, metavar="MINUTES", help="Age in minutes (60).")
        parser.add_argument("--dry-run", action="store_true", help="Remove nothing; count what would be removed.")

    def handle(self, *args, older_than=60, dry_run=False, **options):
        storage = private_storage()
        root = Path(storage.location)
        incoming = Path(settings.FILE_UPLOAD_TEMP_DIR) if settings.FILE_UPLOAD_TEMP_DIR else None
        cutoff = time.time() - older_than * 60
        named = _named_files(storage)
        orphans, leftovers, kept = [], [], 0
        for path in _files(root):
            relative = path.relative_to(root).as_posix()
            if relative in named:
                kept += 1
            elif path.stat().st_mtime < cutoff:
                temporary = relative.startswith(f"{TEMPORARY_AREA}/") or _inside(path, incoming)
                (leftovers if temporary else orphans).append(path)
        if incoming is not None and not _inside(incoming, root):
            leftovers += [path for path in _files(incoming) if path.stat().st_mtime < cutoff]
        sizes = {path: path.stat().st_size for path in orphans + leftovers}
        if not dry_run:
            for path in orphans + leftovers:
                path.unlink(missing_ok=True)
        self.stdout.write(
            f"{'Would remove' if dry_run else 'Removed'} {len(orphans)} orphan file(s) "
            f"({_megabytes(sizes, orphans)}) and {len(leftovers)} temporary leftover(s) "
            f"({_megabytes(sizes, leftovers)}) older than {older_than} min; kept {kept} file(s) that rows name."
        )


def _named_files(storage):
    """The names of every file a row points at, over every file field kept in ``storage``."""
    named = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and field.storage.location == storage.location:
                rows = model._default_manager.exclude(**{field.attname: ""})
                named.update(rows.values_list(field.attname, flat=True))
    return named


def _files(folder):
    for directory, _subfolders, names in os.walk(folder):
        for name in names:
            yield Path(directory) / name


def _inside(path, folder):
    return folder is not None and path.resolve().is_relative_to(folder.resolve())


def _megabytes(sizes, paths):
    return f"{sum(sizes[path] for path in paths) / (1024 * 1024):.1f} MB"
