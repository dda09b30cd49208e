"""Portfolio's background jobs (run by ``celery -A config worker`` when a queue is configured)."""

from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from config.celery import queue_configured
from portfolio.models import SubmissionFile
from portfolio.previews.stored import file_preview_build, preview_queued


@shared_task(name="portfolio.tasks.preview_build")
def preview_build(file_pk):
    item = SubmissionFile.objects.filter(pk=file_pk).first()
    if item is not None:  # gone if its hand-in was rolled back or the draft file removed
        file_preview_build(item)


@receiver(post_save, sender=SubmissionFile, dispatch_uid="portfolio.preview_after_upload")
def _preview_after_upload(sender, instance, created, raw=False, **kwargs):
    """A file just stored has its preview built by a worker once its row is committed (see previews.stored)."""
    if created and not raw and queue_configured():  # preview_queued skips files with no preview or a kept one
        transaction.on_commit(lambda: preview_queued(instance))
