"""How uploaded files are received: streamed to disk, hashed on the way, and cut off at the size cap."""

import hashlib
import os

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

DEFAULT_MAX_FILE_SIZE = 20 * 1024 * 1024


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Every uploaded file goes to a temporary file, never whole into memory, and its SHA-256 is computed as the
    chunks arrive.

    Past settings.PORTFOLIO_MAX_FILE_SIZE bytes nothing more is written to disk, but the bytes are still counted,
    so the finished file carries ``size`` (the true total), ``too_large`` and ``sha256`` (empty when too large).
    The validation then refuses it with its real size.

    The temporary files go to settings.FILE_UPLOAD_TEMP_DIR, created here when missing: a request killed midway
    leaves its file there, where ``manage.py clean_uploads`` finds it.
    """

    def new_file(self, *args, **kwargs):
        if settings.FILE_UPLOAD_TEMP_DIR:
            os.makedirs(settings.FILE_UPLOAD_TEMP_DIR, exist_ok=True)
        super().new_file(*args, **kwargs)
        self.max_size = getattr(settings, "PORTFOLIO_MAX_FILE_SIZE", DEFAULT_MAX_FILE_SIZE)
        self.digest = hashlib.sha256()
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_size:
            # Counting on rather than aborting lets the student be told how big the file really was.
            self.too_large = True
            return
        self.digest.update(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.too_large = self.too_large
        uploaded.sha256 = "" if self.too_large else self.digest.hexdigest()
        return uploaded


def upload_sha256(upload):
    """The upload's SHA-256: the one ``HashingUploadHandler`` computed as it arrived, else read now (a file made in
    code). The upload is left at its start."""
    digest = getattr(upload, "sha256", "")
    if digest:
        return digest
    hasher = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()
