"""The individual plan (insatsplan) with its versions, and joint check-ins (individavstämning).

A plan is edited as a draft; agreeing with the participant freezes it as version N. Editing an
agreed plan starts version N+1 (a new draft, prefilled from N). Every version stays readable.

A check-in is a meeting of several organisations with the participant; the actions agreed there
have an owner (a person and/or an organisation) and a due date, and are marked done by their
owner.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Organisation
from stegvis.participants.languages import LANGUAGE_CHOICES
from stegvis.participants.models import Enrollment


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")
    CHANGED = "changed", _("Changed")
    DROPPED = "dropped", _("Dropped")


# The same statuses in plain words, for the printed plan the participant takes home.
PLAIN_GOAL_STATUS: dict[str, Any] = {
    GoalStatus.NOT_STARTED: _("Not started yet"),
    GoalStatus.IN_PROGRESS: _("We are working on it"),
    GoalStatus.REACHED: _("Done"),
    GoalStatus.CHANGED: _("Changed"),
    GoalStatus.DROPPED: _("Stopped"),
}


class Plan(models.Model):
    """One version of an enrollment's plan. At most one draft, always the newest version."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="plans", verbose_name=_("enrollment")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The version this one was started from (None for the first).
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    agreed_on = models.DateField(_("agreed with the participant on"), null=True, blank=True)
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True
    )
    conversation_language = models.CharField(
        _("language of the conversation"), max_length=10, choices=LANGUAGE_CHOICES, blank=True
    )
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement recorded by"),
    )
    agreed_at = models.DateTimeField(_("agreement recorded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["enrollment", "-version"]
        verbose_name = _("individual plan")
        verbose_name_plural = _("individual plans")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "version"], name="plan_unique_version"),
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status="draft"),
                name="plan_one_draft_per_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(agreed_on__isnull=False),
                name="plan_agreed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} v{self.version} ({self.status})"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT


class Goal(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    text = models.TextField(_("goal"), max_length=1000)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def plain_status(self) -> str:
        return str(PLAIN_GOAL_STATUS.get(self.status, self.get_status_display()))


class PlannedActivity(models.Model):
    """Who does what, and when: an organisation, a person (a user or a free-text name)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan")
    )
    what = models.CharField(_("what"), max_length=300)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who (staff)"),
    )
    responsible_name = models.CharField(
        _("who (other)"),
        max_length=200,
        blank=True,
        help_text=_("A person without a Stegvis account, or the participant."),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="plannedactivity_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def responsible(self) -> str:
        if self.responsible_user is not None:
            return str(self.responsible_user)
        return self.responsible_name


class CheckIn(models.Model):
    """A joint check-in: several organisations meet with (or about) the participant."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("enrollment")
    )
    held_on = models.DateField(_("date"))
    participant_present = models.BooleanField(_("the participant took part"), default=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff present")
    )
    external_attendees = models.TextField(
        _("other people present"),
        blank=True,
        help_text=_("People without a Stegvis account: one per line, name and organisation."),
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("organisations taking part")
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("joint check-in")
        verbose_name_plural = _("joint check-ins")
        indexes = [models.Index(fields=["enrollment", "held_on"], name="checkin_enrollment_held")]

    def __str__(self) -> str:
        return f"{self.enrollment_id} {self.held_on}"


class AgreedAction(models.Model):
    """An action agreed at a check-in, with an owner and a due date."""

    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="actions", verbose_name=_("check-in")
    )
    what = models.CharField(_("what"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    due_on = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked done by"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["checkin", "position", "pk"]
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        indexes = [
            # "My actions": open and recently done actions of one owner, by due date.
            models.Index(fields=["owner_user", "done_at", "due_on"], name="action_owner_due"),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
