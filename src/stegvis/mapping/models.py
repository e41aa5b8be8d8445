"""The mapping (kartläggning): a structured intake per enrollment, re-done later with history kept.

Each mapping is its own row. At most one draft per enrollment is being worked on; a completed
mapping is never changed again (a new one is started from it instead), so older mappings stay
readable as they were. The current mapping is the completed one carried out most recently.

Health, family situation and other sensitive circumstances live apart, in
``SensitiveCircumstances`` (Part.SENSITIVE), with their own history: they are never loaded by
the mapping pages.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from stegvis.participants.languages import LANGUAGE_CHOICES
from stegvis.participants.models import EducationLevel, Enrollment


class MappingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPLETED = "completed", _("Completed")


class Literacy(models.TextChoices):
    NONE = "none", _("Cannot read or write")
    BASIC = "basic", _("Basic")
    GOOD = "good", _("Good")


class LanguageLevel(models.TextChoices):
    # Self-rated, in the participant's own words; test results are assessments.
    NONE = "none", _("None")
    BASIC = "basic", _("Basic")
    GOOD = "good", _("Good")
    FLUENT = "fluent", _("Fluent")
    NATIVE = "native", _("Mother tongue")


class DrivingLicence(models.TextChoices):
    NONE = "none", _("No driving licence")
    LEARNER = "learner", _("Learner's permit")
    FOREIGN = "foreign", _("Foreign driving licence")
    SWEDISH = "swedish", _("Swedish driving licence")


class DigitalSkills(models.TextChoices):
    NONE = "none", _("None")
    BASIC = "basic", _("Basic (phone, messages)")
    INDEPENDENT = "independent", _("Independent (e-services, e-mail, BankID)")
    ADVANCED = "advanced", _("Advanced (office software, work systems)")


class QualificationKind(models.TextChoices):
    SCHOOL = "school", _("School-leaving certificate")
    VOCATIONAL = "vocational", _("Vocational qualification or certificate")
    HIGHER_EDUCATION = "higher_education", _("University or college degree")
    REGULATED_PROFESSION = "regulated_profession", _("Licence for a regulated profession")
    OTHER = "other", _("Other")


class RecognitionApplied(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Mapping(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="mappings", verbose_name=_("enrollment")
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
        help_text=_("The earlier mapping this one was started from."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MappingStatus.choices, default=MappingStatus.DRAFT
    )
    carried_out_on = models.DateField(_("carried out on"))
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=10, choices=LANGUAGE_CHOICES, blank=True
    )

    years_of_schooling = models.PositiveSmallIntegerField(
        _("years of schooling"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(30)],
    )
    education_level = models.CharField(
        _("highest education (ISCED)"),
        max_length=10,
        choices=EducationLevel.choices,
        default=EducationLevel.UNKNOWN,
    )
    literacy_mother_tongue = models.CharField(
        _("reading and writing in the mother tongue"),
        max_length=10,
        choices=Literacy.choices,
        blank=True,
    )
    literacy_latin_script = models.CharField(
        _("reading and writing in the Latin alphabet"),
        max_length=10,
        choices=Literacy.choices,
        blank=True,
    )
    informal_skills = models.TextField(
        _("informal skills"),
        blank=True,
        help_text=_("What the participant can do without papers for it: trades, care, languages."),
    )
    driving_licence = models.CharField(
        _("driving licence"), max_length=10, choices=DrivingLicence.choices, blank=True
    )
    digital_skills = models.CharField(
        _("digital skills"), max_length=15, choices=DigitalSkills.choices, blank=True
    )
    goals = models.TextField(_("goals and wishes"), blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        ordering = ["-carried_out_on", "-pk"]
        verbose_name = _("mapping")
        verbose_name_plural = _("mappings")
        constraints = [
            # One draft at a time: "edit" always means this draft.
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(status="draft"),
                name="mapping_one_draft_per_enrollment",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False),
                name="mapping_completed_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["enrollment", "status", "carried_out_on"], name="mapping_enrollment_status"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carried_out_on} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == MappingStatus.DRAFT


class MappingLanguage(models.Model):
    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="languages", verbose_name=_("mapping")
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGE_CHOICES)
    level = models.CharField(_("own rating"), max_length=10, choices=LanguageLevel.choices)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints = [
            models.UniqueConstraint(fields=["mapping", "language"], name="mapping_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.get_level_display()}"


class WorkExperience(models.Model):
    mapping = models.ForeignKey(
        Mapping,
        on_delete=models.CASCADE,
        related_name="work_experience",
        verbose_name=_("mapping"),
    )
    occupation = models.CharField(_("occupation"), max_length=200)
    country = CountryField(_("country"), blank=True)
    years = models.DecimalField(
        _("years"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")

    def __str__(self) -> str:
        return self.occupation


class Qualification(models.Model):
    """A formal qualification, and whether recognition in Sweden was applied for.

    The recognition fields are what AMIF result indicator R.2.10 counts ("applied for
    recognition of qualifications"): kept as plain columns so the database can count them.
    """

    mapping = models.ForeignKey(
        Mapping, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("mapping")
    )
    title = models.CharField(_("qualification"), max_length=200)
    country = CountryField(_("country"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=QualificationKind.choices, default=QualificationKind.OTHER
    )
    recognition_applied = models.CharField(
        _("recognition in Sweden applied for"),
        max_length=10,
        choices=RecognitionApplied.choices,
        default=RecognitionApplied.UNKNOWN,
        db_index=True,
        help_text=_("For example an assessment by the Swedish Council for Higher Education."),
    )
    recognition_applied_on = models.DateField(_("applied on"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(recognition_applied_on__isnull=True) | Q(recognition_applied="yes"),
                name="qualification_applied_on_only_if_applied",
            )
        ]

    def __str__(self) -> str:
        return self.title


SENSITIVE_FIELDS = ("health", "family_situation", "other")


class SensitiveCircumstances(models.Model):
    """Health, family situation and other sensitive circumstances (Part.SENSITIVE).

    Append-only: each change is a new row, the newest is current. Only the owning
    organisation writes; another organisation reads only with a consent covering the
    sensitive part. The access log records field names, never this content.
    """

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="sensitive_circumstances",
        verbose_name=_("enrollment"),
    )
    health = models.TextField(
        _("health"),
        blank=True,
        help_text=_("Only what matters for the programme, e.g. needs for adjustments."),
    )
    family_situation = models.TextField(_("family situation"), blank=True)
    other = models.TextField(_("other sensitive circumstances"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("sensitive circumstances")
        verbose_name_plural = _("sensitive circumstances")
        indexes = [
            models.Index(fields=["enrollment", "recorded_at"], name="sensitive_enrollment_at")
        ]

    def __str__(self) -> str:
        return f"{self.recorded_at:%Y-%m-%d %H:%M}"
