"""Programmes, their tracks and partners, organisations, units and staff memberships."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality unit")
        FOLK_HIGH_SCHOOL = "folk_high_school", _("Folk high school")
        STUDY_ASSOCIATION = "study_association", _("Study association")
        PUBLIC_EMPLOYMENT_SERVICE = "public_employment_service", _("Public employment service")
        REGIONAL_HEALTH_CARE = "regional_health_care", _("Regional health care")
        REGION = "region", _("Region")
        NGO = "ngo", _("Non-governmental organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    class Fund(models.TextChoices):
        AMIF = "amif", _("AMIF (Asylum, Migration and Integration Fund)")
        ESF_PLUS = "esf_plus", _("ESF+ (European Social Fund Plus)")
        OTHER = "other", _("Other funding")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    fund = models.CharField(_("fund"), max_length=20, choices=Fund.choices)
    funder_reference = models.CharField(_("funder's reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="owned_programmes",
        verbose_name=_("owner organisation"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="programme_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Track(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="track_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Partner(models.Model):
    """An organisation taking part in one programme, with its commitment."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partners", verbose_name=_("programme")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    tracks = models.ManyToManyField(
        Track, blank=True, related_name="partners", verbose_name=_("tracks")
    )
    committed_participants = models.PositiveIntegerField(
        _("committed number of participants"), null=True, blank=True
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "organisation"], name="partner_unique_per_programme"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Unit(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.name}"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Partner coordinator")
    STAFF = "staff", _("Staff")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(models.Model):
    """A user's role in one unit. Access to participant data is derived from these rows only."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]
        indexes = [models.Index(fields=["user", "is_active"], name="membership_user_active")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
