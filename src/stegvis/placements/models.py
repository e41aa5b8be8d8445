"""Internships (praktik): workplaces, placements and follow-up visits.

A workplace is employer data, kept per programme so every partner in the programme can reuse
it. A placement is one enrollment's internship at a workplace: participant data (the
enrollment's Part.RECORD), read through the access layer and changed through the services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.activities.models import Participation
from stegvis.organisations.models import Partner, Programme
from stegvis.participants.models import Enrollment


class Sector(models.TextChoices):
    PRIVATE = "private", _("Private company")
    MUNICIPAL = "municipal", _("Municipality")
    REGION = "region", _("Region")
    STATE = "state", _("State agency")
    NON_PROFIT = "non_profit", _("Non-profit organisation")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    OTHER = "other", _("Other")


class Workplace(models.Model):
    """An employer's workplace where participants do internships."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="workplaces", verbose_name=_("programme")
    )
    name = models.CharField(_("employer name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        help_text=_("Ten digits, NNNNNN-NNNN. A sole trader uses the owner's personal number."),
    )
    sole_trader = models.BooleanField(_("sole trader"), default=False, editable=False)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # The partner that registered it (who to ask about it).
    added_by_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by partner"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("workplace")
        verbose_name_plural = _("workplaces")
        constraints = [
            # One employer may have several workplaces; the same name twice is a duplicate.
            models.UniqueConstraint(
                fields=["programme", "organisation_number", "name"],
                name="workplace_unique_in_programme",
            ),
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="workplace_sector"),
        ]

    def __str__(self) -> str:
        return self.name


class LanguageSupport(models.TextChoices):
    NONE = "none", _("No language support")
    COLLEAGUE = "colleague", _("A colleague speaks the participant's language")
    LANGUAGE_MENTOR = "language_mentor", _("Language mentor or language representative on site")
    INTERPRETER = "interpreter", _("Interpreter when needed")
    VOCATIONAL_SWEDISH = "vocational_swedish", _("Vocational Swedish linked to the workplace")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    ONGOING = "ongoing", _("Ongoing")
    CONTINUED = "continued", _("Continued (extended)")
    ENDED = "ended", _("Ended")
    EMPLOYMENT = "employment", _("Turned into employment")


# Outcomes after which the internship is over.
ENDED_OUTCOMES = (Outcome.ENDED, Outcome.EMPLOYMENT)


class EmploymentSupport(models.TextChoices):
    NONE = "none", _("No support (regular employment)")
    WAGE_SUBSIDY = "wage_subsidy", _("Wage subsidy (lönebidrag)")
    INTRODUCTION_JOB = "introduction_job", _("Introduction job (introduktionsjobb)")
    NEW_START_JOB = "new_start_job", _("New-start job (nystartsjobb)")
    EMPLOYMENT_SUPPORT = "employment_support", _("Employment support (anställningsstöd)")
    OTHER = "other", _("Other support")


PLACEMENT_FIELDS = (
    "workplace",
    "supervisor_name",
    "supervisor_phone",
    "supervisor_email",
    "start_date",
    "end_date",
    "hours_per_week",
    "tasks",
    "language_support",
    "language_support_note",
    "participation",
)
OUTCOME_FIELDS = ("outcome", "outcome_date", "employment_support", "end_date", "outcome_note")


class Placement(models.Model):
    """One enrollment's internship at a workplace."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("enrollment"),
    )
    workplace = models.ForeignKey(
        Workplace, on_delete=models.PROTECT, related_name="placements", verbose_name=_("workplace")
    )
    supervisor_name = models.CharField(_("supervisor"), max_length=200)
    supervisor_phone = models.CharField(_("supervisor's phone"), max_length=30, blank=True)
    supervisor_email = models.EmailField(_("supervisor's email"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    tasks = models.TextField(_("tasks"))
    language_support = models.CharField(
        _("language support on site"),
        max_length=30,
        choices=LanguageSupport.choices,
        default=LanguageSupport.NONE,
    )
    language_support_note = models.CharField(
        _("about the language support"), max_length=300, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.ONGOING
    )
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    employment_support = models.CharField(
        _("kind of support"), max_length=30, choices=EmploymentSupport.choices, blank=True
    )
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    # Optional: the internship activity (funder category "internship") it is counted under.
    participation = models.ForeignKey(
        Participation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("internship activity"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("internship")
        verbose_name_plural = _("internships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="placement_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="placement_outcome_valid"
            ),
            # Only an employment has a kind of support, and an employment always has one.
            models.CheckConstraint(
                condition=Q(
                    outcome=Outcome.EMPLOYMENT, employment_support__in=EmploymentSupport.values
                )
                | (~Q(outcome=Outcome.EMPLOYMENT) & Q(employment_support="")),
                name="placement_support_only_for_employment",
            ),
            # An outcome other than "ongoing" has a date.
            models.CheckConstraint(
                condition=Q(outcome=Outcome.ONGOING) | Q(outcome_date__isnull=False),
                name="placement_outcome_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "start_date"], name="placement_enrollment"),
            models.Index(fields=["workplace", "outcome"], name="placement_workplace_outcome"),
        ]

    def __str__(self) -> str:
        return f"{self.workplace} {self.start_date}"

    @property
    def is_over(self) -> bool:
        return self.outcome in ENDED_OUTCOMES


VISIT_FIELDS = ("visit_date", "visited_by", "notes")


class PlacementVisit(models.Model):
    """A follow-up visit at the workplace during the internship."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="visits", verbose_name=_("internship")
    )
    visit_date = models.DateField(_("date of the visit"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("visited by"),
    )
    notes = models.TextField(_("notes"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        indexes = [models.Index(fields=["placement", "visit_date"], name="placement_visit_date")]

    def __str__(self) -> str:
        return f"{self.visit_date}"
