"""Drop-in visits: quick counts of people who came by a unit, by topic.

Most visits are anonymous counts ("three people came for help with letters"): not participant
data. A visit may instead be linked to one enrollment; then it counts one person, is the
enrollment's Part.RECORD, and is read and written through the access layer with audit rows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Unit
from stegvis.participants.models import Enrollment

# More than this many people at once is more likely a typing error than a drop-in.
MAX_VISITORS = 50


class Topic(models.TextChoices):
    JOB_SEARCH = "job_search", _("Job search")
    AUTHORITIES = "authorities", _("Letters and contacts with authorities")
    SWEDISH = "swedish", _("Practising Swedish")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    SCHOOL = "school", _("School and children")
    DIGITAL = "digital", _("Digital help")
    OTHER = "other", _("Other")


class DropInVisit(models.Model):
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dropin_visits", verbose_name=_("unit")
    )
    visit_date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    visitors = models.PositiveSmallIntegerField(
        _("number of visitors"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_VISITORS)],
    )
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dropin_visits",
        verbose_name=_("participant"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("drop-in visit")
        verbose_name_plural = _("drop-in visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(visitors__gte=1, visitors__lte=MAX_VISITORS),
                name="dropin_visitors_range",
            ),
            # A visit linked to a participant is one person.
            models.CheckConstraint(
                condition=Q(enrollment__isnull=True) | Q(visitors=1),
                name="dropin_linked_is_one",
            ),
            models.CheckConstraint(condition=Q(topic__in=Topic.values), name="dropin_topic"),
        ]
        indexes = [models.Index(fields=["unit", "visit_date"], name="dropin_unit_date")]

    def __str__(self) -> str:
        return f"{self.visit_date} {self.topic} ×{self.visitors}"
