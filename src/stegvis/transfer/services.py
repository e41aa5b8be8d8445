"""Import jobs: create, check (dry run) and commit, in the request or in a background thread.

There is no task queue. Small files are processed in the request. Larger ones run in a
thread of the web process started after the job row is committed; the page polls the job.
Progress is kept in the cache (the commit's own transaction hides it from other
connections): a single-process deployment (the demo) needs nothing more; several processes
need a shared cache (``CACHES``), or run ``stegvis import`` from the command line.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, transaction
from django.utils import timezone, translation

from stegvis.organisations.models import Partner

from . import imports
from .models import ImportJob

logger = logging.getLogger(__name__)

# Files up to this size are checked and imported within the request.
INLINE_MAX_BYTES = 256 * 1024


def _inline(job: ImportJob) -> bool:
    limit = getattr(settings, "STEGVIS_IMPORT_INLINE_MAX_BYTES", INLINE_MAX_BYTES)
    return len(job.data) <= limit


def progress_key(job_id: int) -> str:
    return f"stegvis-import-progress-{job_id}"


def job_progress(job: ImportJob) -> tuple[int, int] | None:
    return cache.get(progress_key(job.pk))


def job_create(*, actor: Any, partner: Partner, filename: str, data: bytes) -> ImportJob:
    if not imports.may_import(actor, partner):
        raise PermissionDenied
    job = ImportJob.objects.create(
        partner=partner,
        owner=actor,
        filename=filename[:200],
        data=data,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    _start(job, "check")
    return job


def job_commit(*, actor: Any, job: ImportJob) -> ImportJob:
    if job.owner_id != actor.pk or not job.can_commit:
        raise PermissionDenied
    job.status = ImportJob.Status.IMPORTING
    job.started_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status=job.status, started_at=job.started_at)
    _start(job, "commit")
    return job


def _start(job: ImportJob, step: str) -> None:
    if _inline(job):
        run_step(job.pk, step)
        job.refresh_from_db()
    else:
        transaction.on_commit(
            lambda: threading.Thread(
                target=_in_thread, args=(job.pk, step), daemon=True, name=f"import-{job.pk}"
            ).start()
        )


def _in_thread(job_id: int, step: str) -> None:
    try:
        run_step(job_id, step)
    finally:
        close_old_connections()


def run_step(job_id: int, step: str) -> None:
    """Check or commit a job; every outcome is written to the job, never raised."""
    job = ImportJob.objects.select_related("owner", "partner__programme").get(pk=job_id)
    with translation.override(job.language):
        try:
            if step == "check":
                plan = imports.plan_import(
                    actor=job.owner,
                    partner=job.partner,
                    data=bytes(job.data),
                    filename=job.filename,
                )
                _save(job, plan, ImportJob.Status.CHECKED)
            else:

                def progress(done: int, total: int) -> None:
                    cache.set(progress_key(job_id), (done, total), 3600)

                try:
                    plan = imports.import_commit(
                        actor=job.owner,
                        partner=job.partner,
                        data=bytes(job.data),
                        filename=job.filename,
                        progress=progress,
                    )
                except imports.ImportRefused as refused:
                    # The data changed since the check: show the new problems.
                    _save(job, refused.plan, ImportJob.Status.CHECKED)
                else:
                    job.data = b""
                    _save(job, plan, ImportJob.Status.DONE)
        except Exception as error:
            logger.exception("import job %s failed", job_id)
            job.status = ImportJob.Status.FAILED
            job.error = str(error)[:500] or type(error).__name__
            job.finished_at = timezone.now()
            job.data = b""
            job.save(update_fields=["status", "error", "finished_at", "data"])


def _save(job: ImportJob, plan: imports.Plan, status: str) -> None:
    if plan.problems:
        # A corrected file comes as a new upload: keep no personal data we will not use.
        job.data = b""
    job.status = status
    job.total_rows = plan.total_rows
    job.counts = plan.counts()
    job.problems = [problem.as_dict() for problem in plan.problems]
    job.ignored_columns = plan.ignored_columns
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status", "total_rows", "counts", "problems", "ignored_columns", "finished_at", "data"
        ]
    )  # fmt: skip
