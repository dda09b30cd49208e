"""Back up the portal's database and files to a folder."""

import time

from django.core.management.base import BaseCommand

from maintenance.backups import backup_write, database_described, megabytes


class Command(BaseCommand):
    help = (
        "Back up the portal to FOLDER, which must not exist: first the database (PostgreSQL: pg_dump --format=custom; "
        "SQLite: a copy made by SQLite's online backup), then every file of the default storage, a folder or a "
        "bucket, with a manifest.json giving each one's size and SHA-256 and the migrations applied. Temporary "
        "uploads are left out. The backup is written to FOLDER.partial-… and renamed to FOLDER once whole, so FOLDER "
        "is always a whole backup. Files that rows of the dump name but that were deleted before they could be "
        "copied are listed. Meant for cron, e.g. nightly; restore_portal restores it."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Where to write the backup: a new folder.")

    def handle(self, *args, folder, **options):
        started = time.monotonic()
        manifest = backup_write(folder)
        missing = manifest["missing"]
        if missing:
            self.stderr.write(
                f"{len(missing)} file(s) named by rows in the dump were deleted before they could be copied: "
                f"{', '.join(missing)}."
            )
        self.stdout.write(
            f"Backed up the {database_described()} ({megabytes([manifest['database']])}) and "
            f"{len(manifest['files'])} file(s) ({megabytes(manifest['files'])}) to {folder} in "
            f"{time.monotonic() - started:.1f} s."
        )
