"""The append-only audit log of every read and change of participant data."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Part(models.TextChoices):
    """The parts of a participant's record that access (and later consent) is decided for."""

    RECORD = "record", _("Personal details and enrollment")
    # Name, birth date and who the participant is enrolled with: what a consented
    # organisation needs to recognise the person.
    OVERVIEW = "overview", _("Name and enrollment overview")
    MAPPING = "mapping", _("Mapping")
    PLAN = "plan", _("Individual plan")
    CHECKINS = "checkins", _("Joint check-ins")
    NOTES = "notes", _("Notes")
    ASSESSMENTS = "assessments", _("Assessments")
    SENSITIVE = "sensitive", _("Sensitive part (health, family)")
    AUDIT = "audit", _("Access log")


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")


class AppendOnlyError(Exception):
    pass


class AccessEvent(models.Model):
    """Who did what to whose data, acting for which organisation, and when.

    Rows are never updated or deleted: the model refuses it and a database trigger
    (see the migration) refuses it for raw SQL too. Sensitive content is never stored
    here; changes keep field names, and old and new values only for registry fields.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text too, so the log stays readable if a user account is removed.
    actor_name = models.CharField(_("user name"), max_length=200)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("acting for"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    part = models.CharField(_("part"), max_length=20, choices=Part.choices, default=Part.RECORD)
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("participant"),
    )
    enrollment = models.ForeignKey(
        "participants.Enrollment",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("enrollment"),
    )
    object_type = models.CharField(_("object"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # Which consent a cross-organisation read relied on (filled in by consent-based sharing).
    consent_id = models.BigIntegerField(_("consent"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["participant", "at"], name="accessevent_participant_at"),
            models.Index(fields=["enrollment", "at"], name="accessevent_enrollment_at"),
            models.Index(fields=["organisation", "at"], name="accessevent_org_at"),
            models.Index(fields=["actor", "at"], name="accessevent_actor_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.part}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("Access log entries cannot be deleted.")
