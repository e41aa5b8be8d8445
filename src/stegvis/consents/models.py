"""The participant's consent to lift confidentiality towards other organisations (samtycke).

Kept apart from the organisation's legal basis for processing: an organisation works with its
own participants without consent; another organisation sees a part of the record only while a
consent names it and covers that part. Withdrawal takes effect at once.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.access.models import Part
from stegvis.organisations.models import Organisation
from stegvis.participants.languages import LANGUAGE_CHOICES
from stegvis.participants.models import Enrollment

# The parts a consent can cover, each stored as its own boolean so the database can filter.
SHAREABLE_PARTS = {
    Part.MAPPING: "covers_mapping",
    Part.PLAN: "covers_plan",
    Part.CHECKINS: "covers_checkins",
    Part.NOTES: "covers_notes",
    Part.ASSESSMENTS: "covers_assessments",
    Part.SENSITIVE: "covers_sensitive",
}


class Consent(models.Model):
    class Form(models.TextChoices):
        WRITTEN = "written", _("Written, signed")
        VERBAL_INTERPRETER = "verbal_interpreter", _("Verbal, with interpreter")
        VERBAL = "verbal", _("Verbal")

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("enrollment"),
        help_text=_("The enrollment whose information is shared."),
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="consents_received", verbose_name=_("shared with")
    )
    covers_mapping = models.BooleanField(_("mapping"), default=False)
    covers_plan = models.BooleanField(_("individual plan"), default=False)
    covers_checkins = models.BooleanField(_("joint check-ins"), default=False)
    covers_notes = models.BooleanField(_("notes"), default=False)
    covers_assessments = models.BooleanField(_("assessments"), default=False)
    covers_sensitive = models.BooleanField(_("sensitive part (health, family)"), default=False)
    takes_part_in_plan = models.BooleanField(
        _("the organisations take part in the plan"),
        default=False,
        help_text=_("They may then add to and change the plan, not only read it."),
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    form = models.CharField(_("how it was given"), max_length=30, choices=Form.choices)
    language = models.CharField(
        _("language of the consent"), max_length=10, choices=LANGUAGE_CHOICES
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    document_reference = models.CharField(
        _("document reference"),
        max_length=100,
        blank=True,
        help_text=_("Where the signed form is kept, e.g. a case number. Not the document itself."),
    )
    given_on = models.DateField(_("given on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("withdrawal recorded by"),
    )
    withdrawal_note = models.CharField(_("note on withdrawal"), max_length=300, blank=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="consent_period_ordered"
            )
        ]
        indexes = [models.Index(fields=["enrollment", "valid_to"], name="consent_enrollment_valid")]

    def __str__(self) -> str:
        return f"{self.enrollment.pseudonym} {self.valid_from}–{self.valid_to}"

    def state(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.withdrawn_at:
            return "withdrawn"
        if today < self.valid_from:
            return "future"
        if today > self.valid_to:
            return "expired"
        return "active"

    @property
    def parts(self) -> list[str]:
        return [part for part, field in SHAREABLE_PARTS.items() if getattr(self, field)]


def active_consents(today: datetime.date | None = None) -> models.QuerySet[Consent]:
    """Consents in force today: not withdrawn, inside their validity period."""
    today = today or timezone.localdate()
    return Consent.objects.filter(
        withdrawn_at__isnull=True, valid_from__lte=today, valid_to__gte=today
    )
