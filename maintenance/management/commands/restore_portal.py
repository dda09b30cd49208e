"""Restore a backup of the portal into an empty database and an empty storage."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from maintenance.backups import backup_restore, database_described, megabytes, restored_counts


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_portal from FOLDER into the configured database and default storage. Both "
        "must be empty (a new database as createdb makes it, before migrate; an empty folder or bucket), otherwise "
        "nothing is written and the command says what is not empty. Every checksum of the backup is checked before "
        "anything is written; the database is restored whole or not at all (PostgreSQL: pg_restore --no-owner in "
        "one transaction; SQLite: SQLite's online backup), then every file is stored and read back to check its "
        "checksum. Prints what the restored database holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder.")

    def handle(self, *args, folder, **options):
        manifest = backup_restore(folder)
        counts = ", ".join(f"{count} {label}" for label, count in restored_counts().items())
        self.stdout.write(
            f"Restored the {database_described()} ({counts}) and {len(manifest['files'])} file(s) "
            f"({megabytes(manifest['files'])}) into {default_storage.__class__.__name__} from {folder}; every "
            "checksum verified."
        )
        if manifest["missing"]:
            self.stderr.write(
                f"The backup lists {len(manifest['missing'])} file(s) that rows name but that were deleted while it "
                f"was made: {', '.join(manifest['missing'])}."
            )
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            self.stdout.write(f"{len(pending)} migration(s) are newer than the backup: run manage.py migrate.")
