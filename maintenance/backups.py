"""Backups of the portal: its database and every file of its default storage (a folder or a bucket), in one folder
that says what it holds, restored only into an empty database and an empty storage.

A backup folder holds ``manifest.json`` (the engine, the migrations applied, and the name, size and SHA-256 of the
database dump and of every file), the dump (``database.dump``: ``pg_dump --format=custom``; or ``database.sqlite3``:
SQLite's online backup) and ``files/``, the storage's files under their own names. It is written under a name
ending in ``.partial-…`` and renamed when whole, the manifest last: a folder with no manifest is never a backup.

The database is dumped first and the files copied after. Files are in place before their rows commit
(``portfolio.storing``), so every row in the dump finds its file unless the file was deleted between the two steps
(an expired job's file, a draft file removed): the backup names such files. A file written meanwhile is copied
although no row in the dump names it; after a restore ``manage.py clean_uploads`` removes it as an orphan.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader

from config.health import HEALTH_AREA
from portfolio.storing import TEMPORARY_AREA

FORMAT = "portal-backup/1"
MANIFEST = "manifest.json"
FILES = "files"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
KEYS = {"engine", "migrations", "database", "files", "missing"}


def backup_write(folder):
    """Write a whole backup to ``folder``, which must not exist yet; its manifest."""
    folder = Path(folder).absolute()
    if folder.exists():
        raise CommandError(f"{folder} already exists: give each backup a new folder.")
    if not folder.parent.is_dir():
        raise CommandError(f"{folder.parent} is not a folder.")
    engine = _engine()
    partial = folder.with_name(f"{folder.name}.partial-{os.urandom(4).hex()}")
    partial.mkdir()
    try:
        dump = partial / DUMPS[engine]
        named, migrations = _postgresql_dump(dump) if engine == "postgresql" else _sqlite_copy(dump)
        copied = [entry for name in storage_files(default_storage) if (entry := _copy_out(name, partial / FILES))]
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": engine,
            "migrations": migrations,
            "database": {"name": dump.name, **_measure(dump)},
            "files": copied,
            "missing": sorted(named - {entry["name"] for entry in copied}),
        }
        _write_synced(partial / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        os.rename(partial, folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def backup_read(folder):
    """The manifest of the whole, undamaged backup in ``folder``, every checksum verified; else why not."""
    folder = Path(folder).absolute()
    if not folder.is_dir():
        raise CommandError(f"No backup at {folder}: there is no such folder.")
    try:
        manifest = json.loads((folder / MANIFEST).read_bytes())
    except FileNotFoundError:
        raise CommandError(
            f"{folder} holds no {MANIFEST}: it is not a whole backup (a backup writes its manifest last)."
        ) from None
    except ValueError as error:
        raise CommandError(f"{folder / MANIFEST} cannot be read: {error}.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not manifest.keys() >= KEYS:
        raise CommandError(f"{folder / MANIFEST} is not a portal backup's manifest of format {FORMAT}.")
    damaged = []
    database = manifest["database"]
    if database["name"] not in DUMPS.values() or _measure(folder / database["name"]) != _expected(database):
        damaged.append(database["name"])
    for entry in manifest["files"]:
        if not _safe(entry["name"]) or _measure(folder / FILES / entry["name"]) != _expected(entry):
            damaged.append(f"{FILES}/{entry['name']}")
    if damaged:
        raise CommandError(
            f"The backup in {folder} is damaged: {len(damaged)} file(s) missing or not as the manifest says "
            f"({_some(damaged)})."
        )
    return manifest


def backup_restore(folder):
    """Restore the backup in ``folder`` into the configured database and default storage, both empty; the manifest.
    Nothing is written until the backup is known whole and both are known empty."""
    folder = Path(folder).absolute()
    manifest = backup_read(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise CommandError(
            f"The backup holds a {manifest['engine']} database, but DATABASE_URL names a {engine} one "
            f"({database_described()}): restore it into the engine it was made from."
        )
    unknown = {tuple(pair) for pair in manifest["migrations"]} - set(MigrationLoader(None).disk_migrations)
    if unknown:
        names = sorted(f"{app}.{name}" for app, name in unknown)
        raise CommandError(
            f"The backup was made by a newer version of the portal: {len(names)} of its migrations are unknown to "
            f"this one ({_some(names)}). Install that version, restore, then upgrade."
        )
    not_empty = _not_empty()
    if not_empty:
        raise CommandError(
            f"Nothing restored. {' '.join(not_empty)} Restore only into a new, empty database (as createdb makes it, "
            "before any migrate) and an empty folder or bucket."
        )
    dump = folder / manifest["database"]["name"]
    if engine == "postgresql":
        _postgresql_restore(dump)
    else:
        _sqlite_restore(dump)
    for entry in manifest["files"]:
        _copy_in(entry, folder / FILES)
    return manifest


def storage_files(storage):
    """The name of every file in ``storage``, sorted, leaving out the temporary areas: files still being written
    there belong to requests that were not finished, and ``clean_uploads`` removes what they left; and the health
    check's, which live for a moment."""
    skipped = {TEMPORARY_AREA, HEALTH_AREA, *_upload_folder(storage)}
    found = []

    def walk(prefix):
        try:
            folders, names = storage.listdir(prefix)
        except FileNotFoundError:
            return
        found.extend(f"{prefix}{name}" for name in names)
        for name in folders:
            if f"{prefix}{name}" not in skipped:
                walk(f"{prefix}{name}/")

    walk("")
    return sorted(found)


def restored_counts():
    """What the restored database holds, as an operator checks it against the portal they backed up."""
    counted = {
        "users": "accounts.User",
        "courses": "coursework.Course",
        "submissions": "portfolio.Submission",
        "files": "portfolio.SubmissionFile",
        "grades": "grading.Grade",
    }
    return {label: apps.get_model(model).objects.count() for label, model in counted.items()}


def megabytes(entries):
    """The size of the manifest's ``entries`` together, as a person reads it."""
    return f"{sum(entry['size'] for entry in entries) / (1024 * 1024):.1f} MB"


def _engine():
    if connection.vendor not in DUMPS:
        raise CommandError(f"Backups cover PostgreSQL and SQLite; DATABASE_URL names {connection.vendor}.")
    return connection.vendor


def database_described():
    """The database, as an operator would recognise it (never its password)."""
    described = f"{connection.vendor} database {connection.settings_dict['NAME']}"
    host = connection.settings_dict.get("HOST")
    return f"{described} on {host}" if host else described


def _postgresql_dump(path):
    """Dump the database to ``path``; what it holds of files and migrations, read in the dump's own snapshot."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={path}")

        def rows(query):
            cursor.execute(query)
            return cursor.fetchall()

        return _dumped(rows)


def _postgresql_restore(path):
    """All of the dump or nothing: one transaction, stopped by the first error."""
    connection.close()
    _run("pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", str(path))


def _run(program, *arguments):
    """Run a PostgreSQL client program against the configured database, its password in the environment."""
    if shutil.which(program) is None:
        raise CommandError(f"{program} was not found: install PostgreSQL's client programs (the server's version).")
    database = connection.settings_dict
    options = database.get("OPTIONS", {})
    given = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGSSLMODE": options.get("sslmode"),
    }
    env = {**os.environ, **{name: str(value) for name, value in given.items() if value}}
    command = [program, *arguments, f"--dbname={database['NAME']}"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 — our arguments
    if result.returncode:
        raise CommandError(f"{program} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


def _sqlite_copy(path):
    """Copy the database with SQLite's online backup (a consistent copy while the portal writes); what the copy
    holds of files and migrations."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        return _dumped(lambda query: copy.execute(query).fetchall())
    finally:
        copy.close()


def _sqlite_restore(path):
    connection.close()
    source, target = sqlite3.connect(path), sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _dumped(rows):
    """The names of the files the dumped rows point at (over every file field kept in the default storage), and the
    migrations the dumped database has applied; ``rows`` runs a query on the dump's state."""
    quote = connection.ops.quote_name
    named = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField) and field.storage is default_storage:
                table, column = quote(model._meta.db_table), quote(field.column)
                named.update(name for (name,) in rows(f"SELECT {column} FROM {table} WHERE {column} <> ''"))  # noqa: S608
    migrations = sorted([app, name] for app, name in rows("SELECT app, name FROM django_migrations"))
    return named, migrations


def _not_empty():
    """What of the database and storage is not empty, each said in a sentence."""
    found = []
    tables = connection.introspection.table_names()
    if tables:
        found.append(f"The {database_described()} is not empty: it has {len(tables)} table(s) ({_some(tables)}).")
    names = storage_files(default_storage)
    if names:
        where = default_storage.__class__.__name__
        found.append(f"The storage ({where}) is not empty: it holds {len(names)} file(s) ({_some(names)}).")
    return found


def _copy_out(name, folder):
    """Copy a stored file into ``folder``; its manifest entry, or None for a file deleted since it was listed (a
    job's file expiring, a draft file removed: if a row of the dump names it, the manifest lists it as missing)."""
    target = folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    try:
        with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                copy.write(chunk)
    except FileNotFoundError:
        target.unlink(missing_ok=True)
        return None
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _copy_in(entry, folder):
    """Store a file of the backup under its own name, then read it back from the storage to check it."""
    name = entry["name"]
    with open(folder / name, "rb") as source:
        stored = default_storage.save(name, File(source, name=PurePosixPath(name).name))
    if stored != name:
        raise CommandError(f"The storage stored {name} as {stored}: the restore is incomplete.")
    with default_storage.open(name, "rb") as back:
        if _measure_stream(back) != _expected(entry):
            raise CommandError(f"{name} reads back from the storage unlike its backup: the restore is incomplete.")


def _measure(path):
    try:
        with open(path, "rb") as stream:
            return _measure_stream(stream)
    except (FileNotFoundError, IsADirectoryError):
        return None


def _measure_stream(stream):
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _expected(entry):
    return {"size": entry["size"], "sha256": entry["sha256"]}


def _safe(name):
    """A name that stays inside the backup's folder and the storage."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def _upload_folder(storage):
    """The folder uploads arrive in, when it lies inside ``storage`` (FILE_UPLOAD_TEMP_DIR, by default
    ``.incoming``)."""
    location = getattr(storage, "location", None)
    if not settings.FILE_UPLOAD_TEMP_DIR or not location or not os.path.isabs(location):
        return []
    incoming = Path(settings.FILE_UPLOAD_TEMP_DIR).resolve()
    root = Path(location).resolve()
    return [incoming.relative_to(root).as_posix()] if incoming.is_relative_to(root) and incoming != root else []


def _write_synced(path, content):
    with open(path, "wb") as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())


def _some(names, shown=5):
    names = list(names)
    more = f", and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more
