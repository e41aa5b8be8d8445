"""The participant registry: a person, and that person enrolled in a programme through a partner."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from stegvis.organisations.models import Partner, Programme, Track, Unit

from .eligibility import Eligibility, EligibilityReason
from .languages import LANGUAGE_CHOICES


class IdentityKind(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personal identity number")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Coordination number")
    NONE = "none", _("No Swedish identity number")


class Gender(models.TextChoices):
    # As the funders ask for it; "not stated" is a value, never a gap.
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other / non-binary")
    NOT_STATED = "not_stated", _("Not stated")


class EducationLevel(models.TextChoices):
    # ISCED 2011 levels, grouped as ESF+ reports them (0–2, 3–4, 5–8).
    ISCED_0 = "0", _("ISCED 0 – no or early childhood education only")
    ISCED_1 = "1", _("ISCED 1 – primary education")
    ISCED_2 = "2", _("ISCED 2 – lower secondary education")
    ISCED_3 = "3", _("ISCED 3 – upper secondary education")
    ISCED_4 = "4", _("ISCED 4 – post-secondary non-tertiary education")
    ISCED_5 = "5", _("ISCED 5 – short-cycle tertiary education")
    ISCED_6 = "6", _("ISCED 6 – bachelor's or equivalent")
    ISCED_7 = "7", _("ISCED 7 – master's or equivalent")
    ISCED_8 = "8", _("ISCED 8 – doctoral or equivalent")
    UNKNOWN = "unknown", _("Unknown")


class LabourMarketStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Unemployed")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Long-term unemployed")
    INACTIVE = "inactive", _("Inactive (not working, not looking for work)")
    IN_EDUCATION = "in_education", _("In education or training")
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    UNKNOWN = "unknown", _("Unknown")


class ReferralSource(models.TextChoices):
    PUBLIC_EMPLOYMENT_SERVICE = "pes", _("Public employment service")
    MUNICIPAL_LABOUR_MARKET = "labour_market_unit", _("Municipal labour-market unit")
    SOCIAL_SERVICES = "social_services", _("Social services")
    ADULT_EDUCATION = "adult_education", _("Adult education / SFI")
    RECEPTION_UNIT = "reception_unit", _("Reception and integration unit")
    HEALTH_CARE = "health_care", _("Health care")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    SELF = "self", _("Self-referred or through friends")
    OTHER = "other", _("Other")


class Participant(models.Model):
    """One person. Their enrollments carry everything measured in a programme."""

    identity_kind = models.CharField(
        _("kind of identity number"),
        max_length=20,
        choices=IdentityKind.choices,
        default=IdentityKind.PERSONNUMMER,
    )
    # Twelve digits, YYYYMMDDNNNC. NULL, not "", when the person has none, so that the
    # unique constraint ignores people without a number.
    identity_number = models.CharField(  # noqa: DJ001
        _("identity number"), max_length=12, null=True, blank=True
    )
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("The person has protected personal data (skyddad identitet)."),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Lower-case "first last" without diacritics, for search and the duplicate check.
    name_key = models.CharField(max_length=201, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices)
    birth_date = models.DateField(_("date of birth"))
    citizenships = CountryField(_("citizenships"), multiple=True, blank=True)
    stateless = models.BooleanField(_("stateless"), default=False)
    country_of_birth = CountryField(_("country of birth"), blank=True)
    year_of_arrival = models.PositiveSmallIntegerField(
        _("year of arrival in Sweden"), null=True, blank=True
    )
    municipality = models.CharField(_("municipality of residence"), max_length=100, blank=True)
    mother_tongue = models.CharField(
        _("mother tongue"), max_length=10, choices=LANGUAGE_CHOICES, blank=True
    )
    other_languages = models.JSONField(_("other languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True
    )
    years_of_schooling = models.PositiveSmallIntegerField(
        _("years of schooling"), null=True, blank=True
    )
    education_level = models.CharField(
        _("highest education (ISCED)"),
        max_length=10,
        choices=EducationLevel.choices,
        default=EducationLevel.UNKNOWN,
    )
    labour_market_status = models.CharField(
        _("labour-market status at entry"),
        max_length=30,
        choices=LabourMarketStatus.choices,
        default=LabourMarketStatus.UNKNOWN,
    )
    referral_source = models.CharField(
        _("referred by"), max_length=30, choices=ReferralSource.choices, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["identity_number"],
                condition=Q(identity_number__isnull=False),
                name="participant_identity_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(identity_kind="none", identity_number__isnull=True)
                | (~Q(identity_kind="none") & Q(identity_number__isnull=False)),
                name="participant_identity_kind_matches_number",
            ),
        ]
        indexes = [
            models.Index(fields=["name_key", "birth_date"], name="participant_name_birth"),
            models.Index(fields=["last_name", "first_name"], name="participant_sort_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def identity_number_display(self) -> str:
        if not self.identity_number:
            return ""
        return f"{self.identity_number[:8]}-{self.identity_number[8:]}"


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXITED = "exited", _("Exited")


class Enrollment(models.Model):
    """A person in one programme through one partner (and one of its units)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("participant"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("programme")
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("partner")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("unit")
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        related_name="enrollments",
        null=True,
        blank=True,
        verbose_name=_("track"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    # Computed from the person's citizenships by the services; stored so indicators can filter.
    eligibility = models.CharField(
        _("eligibility"), max_length=20, choices=Eligibility.choices, default=Eligibility.UNKNOWN
    )
    eligibility_reason = models.CharField(
        _("eligibility reason"), max_length=30, choices=EligibilityReason.choices, blank=True
    )
    # Stable pseudonymous code shown to roles that see aggregates only.
    pseudonym = models.CharField(_("pseudonymous code"), max_length=12, unique=True)
    external_id = models.CharField(_("partner's own id"), max_length=64, blank=True)
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
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            # A person is active at most once per programme; they may enrol again after an exit.
            models.UniqueConstraint(
                fields=["participant", "programme"],
                condition=Q(status="active"),
                name="enrollment_one_active_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrollment_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="enrollment_unit_status"),
            models.Index(fields=["partner", "status"], name="enrollment_partner_status"),
            models.Index(fields=["programme", "start_date"], name="enrollment_programme_start"),
            models.Index(fields=["programme", "eligibility"], name="enrollment_prog_eligibility"),
        ]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.programme})"


class EligibilityCheck(models.Model):
    """Proof for the funder that eligibility was checked: who, when, how. Never a document copy."""

    class Method(models.TextChoices):
        RESIDENCE_PERMIT_CARD = "residence_permit_card", _("Residence permit card")
        PASSPORT = "passport", _("Passport")
        MIGRATION_AGENCY_DECISION = (
            "migration_agency_decision",
            _("Decision from the Migration Agency"),
        )
        LMA_CARD = "lma_card", _("LMA card (asylum seeker)")
        POPULATION_REGISTER = "population_register", _("Population register extract")
        OTHER = "other", _("Other document")

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="eligibility_checks",
        verbose_name=_("enrollment"),
    )
    method = models.CharField(_("document seen"), max_length=40, choices=Method.choices)
    document_note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example the permit's validity. Do not write the document number."),
    )
    checked_on = models.DateField(_("checked on"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-checked_on", "-recorded_at"]
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.checked_on}"
