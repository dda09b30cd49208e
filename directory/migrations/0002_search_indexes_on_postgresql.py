"""The search indexes of the directory, on PostgreSQL only: pg_trgm and a GIN trigram index on the folded names (a
misspelt name still matches), and a GIN index on the full-text vector. SQLite searches the folded text plainly."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS directory_entry_name_trgm ON directory_entry USING gin (name_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS directory_entry_search_vector ON directory_entry USING gin (search_vector)",
]
DROPS = [
    "DROP INDEX IF EXISTS directory_entry_name_trgm",
    "DROP INDEX IF EXISTS directory_entry_search_vector",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_entries_listings_categories"),
    ]

    operations = [
        TrigramExtension(),  # skipped on any database but PostgreSQL
        migrations.RunPython(run_on_postgresql(INDEXES), run_on_postgresql(DROPS), elidable=False),
    ]
