"""What a request could change, taken before and after a POST: every table, the stored files, the mail sent."""

import hashlib

from django.apps import apps
from django.core import mail

# Rows that change on their own around a request, whoever makes it: sessions, sign-in attempts, the admin's log.
UNWATCHED_APPS = {"sessions", "axes", "admin"}
# Columns that signing an actor in writes before the request (force_login sets the last sign-in).
UNWATCHED_COLUMNS = {("accounts.User", "last_login")}


def database_state():
    """Each table of every installed app: its row count and a hash of every value, row by row."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.app_label in UNWATCHED_APPS:
            continue
        fields = model._meta.concrete_fields
        columns = [field.attname for field in fields if (label, field.name) not in UNWATCHED_COLUMNS]
        rows = list(model._base_manager.order_by("pk").values_list(*columns))
        state[label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return state


def outside_state(media):
    """The stored files (name and size) and the number of e-mails sent."""
    return {
        "files": sorted((str(path.relative_to(media)), path.stat().st_size) for path in media.rglob("*")),
        "mail": len(mail.outbox),
    }


def changed_parts(before, after):
    """The tables (and "files", "mail") that differ between two states."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))
