"""Writing students' files to private storage so that nothing is ever half there: no file at its final name that is
not whole, no committed row without its file, and nothing left of a workflow that fails (but see ``storing()`` for
one nested in an outer transaction).

A workflow's rows are written inside ``storing()``. Each file's bytes go to a temporary name in the storage's
temporary area (``tmp/<uuid>.part``) while its row is written with the final name; as the last step before the
transaction commits, every file is moved to its final name (a rename on the same disk, all at once or not at all).
Moving before the commit rather than after it (``transaction.on_commit``) is deliberate: a process killed between
the commit and the move would leave a committed row whose file is missing, which nothing can repair; killed between
the move and the commit, it leaves a whole file that no row names, which ``manage.py clean_uploads`` removes. Killed
earlier, it leaves only a ``.part`` file in the temporary area, removed by the same command once it is an hour old.
"""

import os
import uuid
from contextlib import contextmanager

from django.db import transaction

from portfolio.models import SubmissionFile

# Inside the storage: where bytes wait for their rows, and the suffix they wait under.
TEMPORARY_AREA = "tmp"
PART_SUFFIX = ".part"


def private_storage():
    """The storage students' files are kept in."""
    return SubmissionFile._meta.get_field("file").storage


class Staging:
    """The files a workflow writes: each waits under a temporary name until ``publish`` moves them into place."""

    def __init__(self):
        self.storage = private_storage()
        self.pending = {}  # final name -> temporary name
        self.placed = []

    def store(self, row, content):
        """Write ``content`` under a temporary name and save ``row`` with the final name it will be moved to."""
        field = row.file.field
        final = self.storage.get_available_name(field.generate_filename(row, f"upload.{row.extension}"))
        temporary = self.storage.save(f"{TEMPORARY_AREA}/{uuid.uuid4().hex}{PART_SUFFIX}", content)
        self.pending[final] = temporary
        row.file.name = final
        row.save()

    def open(self, fieldfile):
        """Open a stored file for reading, from where its bytes are while it waits to be moved."""
        temporary = self.pending.get(fieldfile.name)
        return self.storage.open(temporary, "rb") if temporary else fieldfile.open("rb")

    def publish(self):
        """Move every waiting file to its final name."""
        while self.pending:
            final, temporary = next(iter(self.pending.items()))
            target = self.storage.path(final)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(self.storage.path(temporary), target)
            self.placed.append(final)
            del self.pending[final]

    def discard(self):
        """Delete everything written, moved or not."""
        for name in [*self.placed, *self.pending.values()]:
            self.storage.delete(name)
        self.placed, self.pending = [], {}


@contextmanager
def storing():
    """A transaction whose stored files are moved into place as its last step, and deleted if it fails there
    (the rows are rolled back first).

    Alone, that last step is just before the commit. Inside an outer ``transaction.atomic`` (a building app's
    hand-in wraps ``built_version_submit`` in its own) this block is a savepoint: the files are moved when it is
    released, and the outer transaction commits later. Should the outer one then fail, its rows are rolled back but
    the moved files stay, whole files that no row names, until ``manage.py clean_uploads`` removes them as orphans.
    Never the other way round: no committed row lacks its file. (Django has no hook just before the outermost
    commit, nor on its rollback, to move them later or delete them then.)"""
    staging = Staging()
    try:
        with transaction.atomic():
            yield staging
            staging.publish()
    except BaseException:
        staging.discard()
        raise
