"""Rating instruments as data, measurement schedules, assessments and one-time links.

An instrument (``Instrument``) has versions; a version has items, each with texts per
language, a pictogram and optional recorded audio. Once an assessment uses a version the
version is frozen: editing makes a new version (``services.version_copy``), so answers already
given keep the meaning they had. Progression compares items across versions by their
*dimension* (see ``selectors.comparable_dimensions``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.participants.models import Enrollment

# Participant languages instruments and the self-service pages are written in. ``sv-easy`` is
# easy-to-read Swedish (lättläst). Right-to-left languages are marked in ``RTL_LANGUAGES``.
INSTRUMENT_LANGUAGES = [
    ("sv", "Svenska"),
    ("sv-easy", "Lätt svenska"),
    ("en", "English"),
    ("ar", "العربية"),
    ("prs", "دری"),
    ("fa", "فارسی"),
    ("so", "Soomaali"),
    ("ti", "ትግርኛ"),
    ("uk", "Українська"),
]
RTL_LANGUAGES = frozenset({"ar", "prs", "fa"})
# The HTML lang attribute for each (easy Swedish is Swedish).
HTML_LANG = {"sv-easy": "sv"}


class InstrumentKind(models.TextChoices):
    SELF_RATING = "self_rating", _("Self-rating")
    EMPLOYABILITY = "employability", _("Employability indicators")
    CASEWORKER = "caseworker", _("Caseworker's rating")
    EXIT_QUESTIONNAIRE = "exit_questionnaire", _("Exit questionnaire")


class ItemKind(models.TextChoices):
    SCALE = "scale", _("Scale")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Free text")


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=InstrumentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Answered by the participant (self-service possible) or by staff about the participant.
    self_report = models.BooleanField(_("answered by the participant"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> InstrumentVersion | None:
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set when the first assessment uses the version: from then on it never changes.
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    note = models.TextField(_("what changed"), blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="instrumentversion_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"


class Item(models.Model):
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    position = models.PositiveIntegerField(_("position"))
    code = models.SlugField(_("code"), max_length=50)
    # Stable across versions: progression compares answers with the same dimension.
    dimension = models.SlugField(_("dimension"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    scale_min = models.PositiveSmallIntegerField(_("lowest value"), null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField(_("highest value"), null=True, blank=True)
    # Choice items: the stored codes of the options, in order (their texts are per language).
    choices = models.JSONField(_("choices"), default=list, blank=True)
    pictogram = models.CharField(_("pictogram"), max_length=50, blank=True)
    # One pictogram key per scale point or choice (empty: a default sequence of faces).
    point_pictograms = models.JSONField(_("pictogram per answer"), default=list, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="item_unique_code"),
            models.UniqueConstraint(fields=["version", "position"], name="item_unique_position"),
            models.CheckConstraint(
                condition=~Q(kind="scale")
                | Q(scale_min__isnull=False, scale_max__gt=models.F("scale_min")),
                name="item_scale_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.code}"

    def points(self) -> list[int]:
        if self.kind == ItemKind.SCALE and self.scale_min is not None and self.scale_max:
            return list(range(self.scale_min, self.scale_max + 1))
        if self.kind == ItemKind.CHOICE:
            return list(range(1, len(self.choices) + 1))
        return []


class ItemText(models.Model):
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="texts", verbose_name=_("item")
    )
    language = models.CharField(_("language"), max_length=10, choices=INSTRUMENT_LANGUAGES)
    text = models.TextField(_("question"))
    low_label = models.CharField(_("label of the lowest value"), max_length=200, blank=True)
    high_label = models.CharField(_("label of the highest value"), max_length=200, blank=True)
    # Choice items: one label per choice, in the item's order.
    choice_labels = models.JSONField(_("choice labels"), default=list, blank=True)
    needs_review = models.BooleanField(_("needs review by a native speaker"), default=True)

    class Meta:
        verbose_name = _("item text")
        verbose_name_plural = _("item texts")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="itemtext_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.language}"


def _audio_path(instance: ItemAudio, filename: str) -> str:
    # The uploaded name is not kept: it may say who recorded it.
    return f"progression/audio/{instance.item_id}-{instance.language}.{instance.extension}"


class ItemAudio(models.Model):
    """A recorded reading of a question in one language (e.g. by a language supporter)."""

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="audio", verbose_name=_("item")
    )
    language = models.CharField(_("language"), max_length=10, choices=INSTRUMENT_LANGUAGES)
    file = models.FileField(_("recording"), upload_to=_audio_path)
    content_type = models.CharField(_("content type"), max_length=50)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="itemaudio_unique_language")
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.language}"

    @property
    def extension(self) -> str:
        return {"audio/mpeg": "mp3", "audio/ogg": "ogg", "audio/wav": "wav"}.get(
            self.content_type, "webm"
        )


class MeasurementPoint(models.TextChoices):
    START = "start", _("Start")
    FOLLOW_UP = "follow_up", _("Follow-up")
    EXIT = "exit", _("Exit")


class MeasurementSchedule(models.Model):
    """When a programme measures: at start, every N months, at exit."""

    programme = models.OneToOneField(
        "organisations.Programme",
        on_delete=models.CASCADE,
        related_name="measurement_schedule",
        verbose_name=_("programme"),
    )
    start_within_days = models.PositiveSmallIntegerField(
        _("start rating within (days of enrollment)"), default=14
    )
    follow_up_months = models.PositiveSmallIntegerField(
        _("follow-up every (months)"),
        default=3,
        help_text=_("0: no follow-ups between start and exit."),
    )
    exit_within_days = models.PositiveSmallIntegerField(
        _("exit questionnaire within (days of exit)"), default=30
    )

    class Meta:
        verbose_name = _("measurement schedule")
        verbose_name_plural = _("measurement schedules")

    def __str__(self) -> str:
        return f"{self.programme_id}"


class AssessmentMode(models.TextChoices):
    SELF = "self", _("Self-service link")
    ASSISTED = "assisted", _("Staff-assisted")


class Assessment(models.Model):
    """One completed round of one instrument for one enrollment."""

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("enrollment"),
    )
    version = models.ForeignKey(
        InstrumentVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("instrument version"),
    )
    point = models.CharField(
        _("measurement point"), max_length=20, choices=MeasurementPoint.choices
    )
    date = models.DateField(_("date"))
    language = models.CharField(_("language"), max_length=10, choices=INSTRUMENT_LANGUAGES)
    mode = models.CharField(_("mode"), max_length=10, choices=AssessmentMode.choices)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assisted by"),
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)

    class Meta:
        ordering = ["enrollment", "date", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["enrollment", "date"], name="assessment_enrollment_date")]

    def __str__(self) -> str:
        return f"{self.version} {self.date} ({self.point})"


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item")
    )
    # The scale value, or the 1-based position of the choice; empty for "don't know / skip".
    value = models.SmallIntegerField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.value}"


class SelfServiceLink(models.Model):
    """A one-time link for a participant to answer on their own phone, without an account.

    Only a hash of the token is stored. The link is used up when the answers are submitted.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="+", verbose_name=_("enrollment")
    )
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("version")
    )
    point = models.CharField(
        _("measurement point"), max_length=20, choices=MeasurementPoint.choices
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    assessment = models.OneToOneField(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="link"
    )

    class Meta:
        verbose_name = _("self-service link")
        verbose_name_plural = _("self-service links")

    def __str__(self) -> str:
        return f"link {self.pk} ({self.point})"

    def is_open(self, now: object | None = None) -> bool:
        return self.used_at is None and (now or timezone.now()) < self.expires_at  # type: ignore[operator]
