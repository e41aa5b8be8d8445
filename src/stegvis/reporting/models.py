"""Targets (programme goals and partner commitments) and the final report's narrative texts.

Neither is participant data: they describe a programme or a partner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Partner, Programme

# The pseudo-indicator "number of participants" is the registry's ``participants``.
PARTICIPANTS = "participants"


class Target(models.Model):
    """A goal for one indicator, for the whole programme (no partner) or one partner.

    For counts the value is a number of participants (with an optional gender split); for
    shares it is a percentage (e.g. 60.0 for "60 % say the activity helped").
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme")
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("partner"),
    )
    indicator = models.CharField(_("indicator"), max_length=60)
    label = models.CharField(
        _("goal"), max_length=200, blank=True, help_text=_("For example 'Goal 3: integration'.")
    )
    value = models.DecimalField(_("target"), max_digits=8, decimal_places=1)
    women = models.PositiveIntegerField(_("of which women"), null=True, blank=True)
    men = models.PositiveIntegerField(_("of which men"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["programme", "partner", "indicator"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "indicator"],
                condition=Q(partner__isnull=True),
                name="target_unique_programme",
            ),
            models.UniqueConstraint(
                fields=["partner", "indicator"],
                condition=Q(partner__isnull=False),
                name="target_unique_partner",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.value}"


class Section(models.TextChoices):
    BACKGROUND = "background", _("Background and aim")
    WORK = "work", _("Work carried out")
    RESULTS = "results", _("Comments on the results")
    LESSONS = "lessons", _("Lessons learned")
    CONTINUATION = "continuation", _("What continues after the programme")


class Narrative(models.Model):
    """One written section of the final report, for the programme or one partner."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="narratives",
        verbose_name=_("programme"),
    )
    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="narratives",
        verbose_name=_("partner"),
    )
    section = models.CharField(_("section"), max_length=30, choices=Section.choices)
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        ordering = ["programme", "partner", "section"]
        verbose_name = _("final report section")
        verbose_name_plural = _("final report sections")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "section"],
                condition=Q(partner__isnull=True),
                name="narrative_unique_programme",
            ),
            models.UniqueConstraint(
                fields=["partner", "section"],
                condition=Q(partner__isnull=False),
                name="narrative_unique_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.get_section_display()
