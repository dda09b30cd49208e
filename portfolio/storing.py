"""Writing students' files to private storage so that nothing is ever half there: no file at its final name that is
not whole, no committed row without its file, and nothing left of a workflow that fails (but see ``storing()`` for
one nested in an outer transaction).

A workflow's rows are written inside ``storing()``, and each file is at its final name before the transaction
commits, never after it (``transaction.on_commit``): a process killed between the commit and the storing would leave
a committed row whose file is missing, which nothing can repair. Killed the other way round, it leaves a whole file
that no row names, which ``manage.py clean_uploads`` removes. How a file gets there depends on the storage:

- On a disk, writing a file takes time and a reader could see it half written, so its bytes go to a temporary name
  in the storage's temporary area (``tmp/<uuid>.part``) while its row is written with the final name; as the last
  step before the commit every file is moved to its final name (a rename on the same disk, all at once or not at
  all). Killed before that, a request leaves only a ``.part`` file, removed by the same command once it is an hour
  old.
- In a bucket (S3), an object is whole or absent: a PUT, or a multipart upload, only shows the object once every
  byte has arrived. So each file is written straight to its final name as its row is written, and nothing is moved
  (a bucket has no rename; a copy and a delete would write every byte twice). A multipart upload cut off by a killed
  request stays invisible and unfinished; the same command aborts it once it is an hour old.

A storage that refuses a write or a read of the workflow's files (a full or read-only disk, a bucket gone or
unreachable) makes the workflow fail as a whole with a message for the student (code "not_stored"): its rows are
rolled back, what it had stored is deleted.
"""

import logging
import os
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portfolio.models import SubmissionFile

logger = logging.getLogger(__name__)

# Inside the storage: where bytes wait for their rows, and the suffix they wait under.
TEMPORARY_AREA = "tmp"
PART_SUFFIX = ".part"

# What a storage raises when it cannot write or read: the disk's errors, and the bucket's (refused by the server,
# or the server not reached).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError, Boto3Error)


def private_storage():
    """The storage students' files are kept in."""
    return SubmissionFile._meta.get_field("file").storage


def has_local_path(storage):
    """Whether ``storage`` keeps its files on this machine's disk (a bucket has no path)."""
    try:
        storage.path("")
    except NotImplementedError:
        return False
    return True


class Staging:
    """The files a workflow writes: on a disk each waits under a temporary name until ``publish`` moves them into
    place; in a bucket each is at its final name at once."""

    def __init__(self):
        self.storage = private_storage()
        self.moves = has_local_path(self.storage)
        self.pending = {}  # final name -> temporary name
        self.placed = []

    def store(self, row, content):
        """Write ``content`` and save ``row`` with the final name it is, or will be moved, under."""
        wanted = row.file.field.generate_filename(row, f"upload.{row.extension}")
        with _refusal():
            if self.moves:
                final = self.storage.get_available_name(wanted)
                temporary = f"{TEMPORARY_AREA}/{uuid.uuid4().hex}{PART_SUFFIX}"
                self.pending[final] = self.storage.save(temporary, content)
            else:
                final = self.storage.save(wanted, content)
                self.placed.append(final)
        row.file.name = final
        row.save()

    def open(self, fieldfile):
        """Open a stored file for reading, from where its bytes are while it waits to be moved."""
        temporary = self.pending.get(fieldfile.name)
        with _refusal():
            return self.storage.open(temporary or fieldfile.name, "rb")

    def publish(self):
        """Move every waiting file to its final name."""
        while self.pending:
            final, temporary = next(iter(self.pending.items()))
            target = self.storage.path(final)
            with _refusal():
                os.makedirs(os.path.dirname(target), exist_ok=True)
                os.replace(self.storage.path(temporary), target)
            self.placed.append(final)
            del self.pending[final]

    def discard(self):
        """Delete everything written, moved or not. A storage that refuses the deletion too leaves the files to
        ``clean_uploads`` (an orphan, or a temporary leftover): the workflow's own failure is what the caller hears."""
        for name in [*self.placed, *self.pending.values()]:
            try:
                self.storage.delete(name)
            except STORAGE_ERRORS:
                logger.warning("Could not delete %s after a failed workflow; clean_uploads will remove it", name)
        self.placed, self.pending = [], {}


@contextmanager
def _refusal():
    """A storage's refusal to write or read, as the message the student reads (code "not_stored")."""
    try:
        yield
    except STORAGE_ERRORS as error:
        logger.exception("The storage refused a file; nothing was recorded")
        raise ValidationError(
            _(
                "The file could not be stored just now, so nothing was saved or handed in. Try again in a few "
                "minutes; if it happens again, tell your instructor."
            ),
            code="not_stored",
        ) from error


@contextmanager
def storing():
    """A transaction whose stored files are in place as its last step, and deleted if it fails (the rows are rolled
    back first). A storage that refuses to write or read one of them is a ValidationError (code "not_stored")
    saying that nothing was stored or handed in; any other failure is raised as it is.

    Alone, that last step is just before the commit. Inside an outer ``transaction.atomic`` (a building app's
    hand-in wraps ``built_version_submit`` in its own) this block is a savepoint: the files are moved when it is
    released, and the outer transaction commits later. Should the outer one then fail, its rows are rolled back but
    the files stay, whole files that no row names, until ``manage.py clean_uploads`` removes them as orphans.
    Never the other way round: no committed row lacks its file. (Django has no hook just before the outermost
    commit, nor on its rollback, to move them later or delete them then.)"""
    staging = Staging()
    with transaction.atomic():
        try:
            yield staging
            staging.publish()
        except BaseException:
            staging.discard()
            raise
    # An error from the COMMIT itself is not caught above: PostgreSQL may have committed the rows before the reply
    # was lost, and deleting their files then would leave rows without files. Left in place, files whose rows did
    # roll back are orphans for clean_uploads.


@dataclass(frozen=True)
class Found:
    """A file found in storage (or a piece of one): its name, when it was last written (a timestamp), its size in
    bytes, and how to remove it."""

    name: str
    modified: float
    size: int
    remove: Callable[[], None] = field(compare=False, repr=False)


def stored_files(storage):
    """Every file in ``storage``. A bucket is listed a thousand keys a request, never asked about each key."""
    if has_local_path(storage):
        root = Path(storage.location)
        for directory, _subfolders, names in os.walk(root):
            for name in names:
                path = Path(directory) / name
                status = path.stat()
                relative = path.relative_to(root).as_posix()
                yield Found(relative, status.st_mtime, status.st_size, partial(storage.delete, relative))
        return
    prefix = f"{storage.location}/" if storage.location else ""
    for item in storage.bucket.objects.filter(Prefix=prefix):
        name = item.key.removeprefix(prefix)
        yield Found(name, item.last_modified.timestamp(), item.size, partial(storage.delete, name))


def unfinished_uploads(storage):
    """The multipart uploads a bucket holds unfinished (a request killed while it sent a large file): invisible, but
    their parts are kept, and paid for, until aborted. A disk has none."""
    if has_local_path(storage):
        return []
    prefix = f"{storage.location}/" if storage.location else ""
    return [
        Found(
            upload.object_key.removeprefix(prefix),
            upload.initiated.timestamp(),
            sum(part.size for part in upload.parts.all()),
            upload.abort,
        )
        for upload in storage.bucket.multipart_uploads.filter(Prefix=prefix)
    ]
