"""An import job: one uploaded file, its dry run and its commit."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Partner

STALLED_AFTER = datetime.timedelta(minutes=30)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking the file")
        CHECKED = "checked", _("Checked")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="+", verbose_name=_("partner")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    filename = models.CharField(_("file name"), max_length=200)
    # The uploaded file, in the database rather than on disk: it holds personal data, so it
    # lives where the rest does (backups, encryption) and is emptied once imported.
    data = models.BinaryField(_("file"), blank=True, default=b"")
    language = models.CharField(_("language"), max_length=10, default="sv")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CHECKING
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # {"participants": {"create": n, "update": n, "unchanged": n}, ...}
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # [{"sheet", "row", "column", "value", "message"}] in the uploader's language.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # When the running step (check or import) began: a step running far longer than any
    # import takes died with its process (its transaction was rolled back).
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["owner", "created_at"], name="importjob_owner_created")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)

    @property
    def is_stalled(self) -> bool:
        return self.is_running and timezone.now() - self.started_at > STALLED_AFTER

    @property
    def can_commit(self) -> bool:
        return self.status == self.Status.CHECKED and not self.problems
