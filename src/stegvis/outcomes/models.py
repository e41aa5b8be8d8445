"""Exits (how and why an enrollment ended) and the follow-up some months later.

The reason codes are the controlled list in the design notes (INDICATORS.md): programmes may
add sub-reasons later, never remove these. Erroneous registrations are kept, with their audit
rows, but every indicator leaves them out.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.participants.models import Enrollment

# The funders' longer-term results are measured six months after leaving (ESF+ Annex I).
FOLLOW_UP_MONTHS = 6


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


class ExitType(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    INTERRUPTED = "interrupted", _("Interrupted")
    # Removed from all counts but kept, with its log.
    ERRONEOUS = "erroneous", _("Erroneous registration")


class ExitReasonGroup(models.TextChoices):
    WORK = "work", _("Work")
    STUDY = "study", _("Studies")
    MEASURE = "measure", _("Other measure")
    PERSONAL = "personal", _("Personal reasons")
    ADMIN = "admin", _("Administrative")


class ExitReason(models.TextChoices):
    """Codes are ``group.reason``; the group is the part before the dot."""

    WORK_EMPLOYMENT = "work.employment", _("Employment, unsubsidised")
    WORK_SUBSIDISED = (
        "work.subsidised",
        _("Employment with support (wage subsidy, introduction job, new-start job)"),
    )
    WORK_SELF_EMPLOYED = "work.self_employed", _("Own business")
    STUDY_LANGUAGE = "study.language", _("Continued SFI or Swedish as a second language")
    STUDY_VOCATIONAL = "study.vocational", _("Vocational training")
    STUDY_FOLK_HIGH_SCHOOL = "study.folk_high_school", _("Folk high school")
    STUDY_OTHER = "study.other", _("Other studies (adult education, university)")
    MEASURE_MUNICIPAL = "measure.municipal", _("Municipal labour-market unit, work trial")
    MEASURE_PES = "measure.pes", _("Public employment service programme")
    MEASURE_SHELTERED = "measure.sheltered", _("Samhall or other sheltered employment")
    MEASURE_HEALTH = "measure.health", _("Health care or rehabilitation")
    PERSONAL_MOVED = "personal.moved", _("Moved away")
    PERSONAL_PARENTAL_LEAVE = "personal.parental_leave", _("Parental leave")
    PERSONAL_SICK_LEAVE = "personal.sick_leave", _("Sick leave")
    PERSONAL_OTHER = "personal.other", _("Other personal reasons")
    ADMIN_NOT_ELIGIBLE = "admin.not_eligible", _("Not in the target group")
    ADMIN_PROGRAMME_ENDED = (
        "admin.programme_ended",
        _("The programme ended while the participant was still active"),
    )
    ADMIN_NO_CONTACT = "admin.no_contact", _("Dropped out / no contact")
    ADMIN_OTHER = "admin.other", _("Other")

    @property
    def group(self) -> ExitReasonGroup:
        return ExitReasonGroup(self.value.split(".", 1)[0])


class Occupation(models.TextChoices):
    """Occupation before and after, as the coordination associations follow it up."""

    WORK = "work", _("Work")
    STUDIES = "studies", _("Studies")
    JOB_SEEKER = "job_seeker", _("Active job seeker")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class SupportSource(models.TextChoices):
    """The person's main source of support (försörjning) before and after."""

    SALARY = "salary", _("Own salary or business income")
    ECONOMIC_ASSISTANCE = "economic_assistance", _("Economic assistance")
    ESTABLISHMENT_ALLOWANCE = "establishment_allowance", _("Establishment allowance")
    ACTIVITY_SUPPORT = "activity_support", _("Activity support")
    SICKNESS_BENEFIT = "sickness_benefit", _("Sickness or activity compensation")
    PARENTAL_BENEFIT = "parental_benefit", _("Parental benefit")
    STUDENT_AID = "student_aid", _("Student aid")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


# The situation on leaving, as ESF+ asks for it (immediate results, Annex I).
SITUATION_FIELDS = ("job_seeking", "in_education", "gained_qualification", "in_employment")
EXIT_FIELDS = (
    "exit_date",
    "exit_type",
    "reason",
    *SITUATION_FIELDS,
    "occupation_before",
    "occupation_after",
    "support_before",
    "support_after",
    "note",
)
FOLLOW_UP_FIELDS = ("done_date", "in_employment", "improved_situation", "note")


class Exit(models.Model):
    """How an enrollment ended. Its date is the enrollment's end date.

    "Exit date on or after the start" is enforced by the database through the enrollment's
    own constraint (``enrollment_period_ordered``), which the service updates in the same
    transaction.
    """

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="exit", verbose_name=_("enrollment")
    )
    exit_date = models.DateField(_("exit date"))
    exit_type = models.CharField(_("type of exit"), max_length=20, choices=ExitType.choices)
    reason = models.CharField(_("reason"), max_length=40, choices=ExitReason.choices)
    job_seeking = models.BooleanField(_("engaged in job searching"), default=False)
    in_education = models.BooleanField(_("in education or training"), default=False)
    gained_qualification = models.BooleanField(_("gained a qualification"), default=False)
    in_employment = models.BooleanField(
        _("in employment, including self-employment"), default=False
    )
    occupation_before = models.CharField(
        _("occupation before"),
        max_length=20,
        choices=Occupation.choices,
        default=Occupation.UNKNOWN,
    )
    occupation_after = models.CharField(
        _("occupation after"), max_length=20, choices=Occupation.choices, default=Occupation.UNKNOWN
    )
    support_before = models.CharField(
        _("source of support before"),
        max_length=30,
        choices=SupportSource.choices,
        default=SupportSource.UNKNOWN,
    )
    support_after = models.CharField(
        _("source of support after"),
        max_length=30,
        choices=SupportSource.choices,
        default=SupportSource.UNKNOWN,
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_type__in=ExitType.values), name="exit_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=ExitReason.values), name="exit_reason_valid"
            ),
        ]
        indexes = [models.Index(fields=["exit_date", "reason"], name="exit_date_reason")]

    def __str__(self) -> str:
        return f"{self.exit_date} {self.reason}"

    @property
    def reason_group(self) -> ExitReasonGroup:
        return ExitReason(self.reason).group

    @property
    def counted(self) -> bool:
        return self.exit_type != ExitType.ERRONEOUS


class FollowUp(models.Model):
    """The situation some months after leaving, for the funders' longer-term results."""

    enrollment = models.OneToOneField(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="follow_up",
        verbose_name=_("enrollment"),
    )
    due_date = models.DateField(_("due"))
    done_date = models.DateField(_("followed up on"), null=True, blank=True)
    in_employment = models.CharField(
        _("in employment, including self-employment"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
    )
    improved_situation = models.CharField(
        _("improved labour-market situation"), max_length=10, choices=Answer.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            # A follow-up is either open, or done with both answers given.
            models.CheckConstraint(
                condition=Q(done_date__isnull=True, in_employment="", improved_situation="")
                | (
                    Q(done_date__isnull=False)
                    & Q(in_employment__in=Answer.values)
                    & Q(improved_situation__in=Answer.values)
                ),
                name="follow_up_done_has_answers",
            ),
            models.CheckConstraint(
                condition=Q(done_date__isnull=True) | Q(recorded_at__isnull=False),
                name="follow_up_done_is_recorded",
            ),
        ]
        indexes = [
            # The due list: open follow-ups by due date.
            models.Index(
                fields=["due_date"], condition=Q(done_date__isnull=True), name="follow_up_open_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_date}"

    @property
    def is_done(self) -> bool:
        return self.done_date is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_date is None and self.due_date < today
