"""What every measurement script shares: Django set up on a throwaway SQLite database (or an empty database the
caller names) and storage."""

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent


def django_setup(tmp, database_url=None):
    """Point Django at ``tmp`` (private storage, and the database unless ``database_url`` names an empty one), set
    it up and migrate. Passwords hash with MD5."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
        PRIVATE_STORAGE_ROOT=str(tmp / "private"),
        DJANGO_DEBUG="1",
    )
    sys.path.insert(0, str(ROOT))
    django.setup()
    # Imported here, after django.setup(): settings are read from the environment set above.
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
