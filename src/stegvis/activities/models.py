"""Activities: the programme's catalogue of activity types, concrete activities, participation.

An activity type belongs to one programme and maps to a funder category (funders count
participants per kind of activity). An activity is a concrete course, group or service run by
one partner through one of its units; it is not participant data itself. A participation
links an enrollment to an activity and is participant data (Part.RECORD of the enrollment).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Partner, Programme, Track, Unit
from stegvis.participants.models import Enrollment


class FunderCategory(models.TextChoices):
    LANGUAGE_COURSE = "language_course", _("Language course")
    CIVIC_ORIENTATION = "civic_orientation", _("Civic orientation")
    PROFESSIONAL_GUIDANCE = "professional_guidance", _("Personalised professional guidance")
    VOCATIONAL_OR_COMBINATION = (
        "vocational_or_combination",
        _("Vocational training or combination course"),
    )
    INTERNSHIP = "internship", _("Internship")
    JOB_SEARCH = "job_search", _("Job-search support")
    HEALTH = "health", _("Health")
    PARENTAL_SUPPORT = "parental_support", _("Parental support")
    OTHER = "other", _("Other")


class InstructionLanguage(models.TextChoices):
    SWEDISH = "swedish", _("Swedish")
    EASY_SWEDISH = "easy_swedish", _("Easy Swedish")
    ARABIC = "arabic", _("Arabic-speaking group")
    DARI = "dari", _("Dari-speaking group")
    PERSIAN = "persian", _("Persian-speaking group")
    SOMALI = "somali", _("Somali-speaking group")
    TIGRINYA = "tigrinya", _("Tigrinya-speaking group")
    UKRAINIAN = "ukrainian", _("Ukrainian-speaking group")
    ENGLISH = "english", _("English")
    MULTILINGUAL = "multilingual", _("Multilingual")
    OTHER = "other", _("Other")


class EndReason(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    EMPLOYMENT = "employment", _("Got a job")
    STUDIES = "studies", _("Started studies")
    OTHER_ACTIVITY = "other_activity", _("Moved to another activity")
    ILLNESS_OR_LEAVE = "illness_or_leave", _("Illness or parental leave")
    DROPPED_OUT = "dropped_out", _("Stopped coming")
    ENROLLMENT_ENDED = "enrollment_ended", _("Left the programme")
    OTHER = "other", _("Other")


class ActivityType(models.Model):
    """One entry of a programme's catalogue. Edited by administrators and programme managers."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="activity_types",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    funder_category = models.CharField(
        _("funder category"), max_length=40, choices=FunderCategory.choices
    )

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="activity_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


ACTIVITY_FIELDS = (
    "name",
    "activity_type",
    "track",
    "unit",
    "language",
    "place",
    "start_date",
    "end_date",
    "capacity",
)


class Activity(models.Model):
    """A concrete course, group or service of one partner, run by one of its units."""

    activity_type = models.ForeignKey(
        ActivityType,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("activity type"),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("For example: SFI group B, Tuesday mornings.")
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("track"),
    )
    # The provider: the partner (organisation × programme) and the unit that runs it.
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="activities", verbose_name=_("partner")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="activities", verbose_name=_("unit")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="activities", verbose_name=_("staff")
    )
    language = models.CharField(
        _("language of instruction"), max_length=30, choices=InstructionLanguage.choices
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Places in the group. Empty: no limit.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-start_date", "name", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="activity_period_ordered",
            )
        ]
        indexes = [
            models.Index(fields=["unit", "start_date"], name="activity_unit_start"),
            models.Index(fields=["partner", "start_date"], name="activity_partner_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """An enrollment taking part in an activity, from start to (optionally) end."""

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("activity"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("enrollment"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=30, choices=EndReason.choices, blank=True
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
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "enrollment"],
                condition=Q(end_date__isnull=True),
                name="participation_one_active",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="participation_period_ordered",
            ),
            # An end has a reason, and only an end has one.
            models.CheckConstraint(
                condition=Q(end_date__isnull=True, end_reason="")
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="participation_end_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "start_date"], name="participation_enrollment"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} – {self.start_date}"

    @property
    def attendance_figures(self) -> Any:
        """The figures annotated by ``figures.with_figures`` (zeros when not annotated)."""
        from .figures import figures_of

        return figures_of(self)


class Session(models.Model):
    """One meeting of an activity on one day. Generated from a weekly pattern, edited one by one.

    One session per activity and day: re-running the generator skips days already present.
    ``hours`` is the planned length; attendance defaults to it.
    """

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    hours = models.DecimalField(
        _("planned hours"),
        max_digits=4,
        decimal_places=2,
        help_text=_("The session's length; attendance is registered with these hours."),
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="session_one_per_day"),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="session_times_ordered",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="session_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%Y-%m-%d}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused absence")


class AttendanceBatch(models.Model):
    """One save of a session's attendance screen, with the marks it replaced (for undo).

    ``previous`` maps participation id → [status, hours] before the save, or None where there
    was no mark. Undo restores exactly these and stamps ``undone_at``.
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="batches", verbose_name=_("session")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    previous = models.JSONField(_("previous marks"), default=dict)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("attendance save")
        verbose_name_plural = _("attendance saves")
        indexes = [models.Index(fields=["session", "-recorded_at"], name="attendancebatch_session")]

    def __str__(self) -> str:
        return f"{self.session} {self.recorded_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    """A participant's mark for one session: present, absent or excused, with hours.

    Participant data (Part.RECORD of the enrollment). ``enrollment`` repeats the
    participation's so that scoping and per-participant figures need no extra join; the
    service keeps them equal. Sized for tens of millions of rows on PostgreSQL: the unique
    (session, enrollment) index serves the attendance screen, (participation, session) the
    per-participant figures, (enrollment) the participant page.
    """

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("participation"),
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrollment"),
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, default=0)
    batch = models.ForeignKey(
        AttendanceBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved in"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrollment"], name="attendance_one_per_session"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0) & Q(hours__lte=24), name="attendance_hours_range"
            ),
        ]
        indexes = [
            models.Index(fields=["participation", "session"], name="attendance_participation"),
            models.Index(fields=["enrollment"], name="attendance_enrollment"),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.status}"
