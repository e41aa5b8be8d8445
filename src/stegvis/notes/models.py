"""Journal-style notes per enrollment (Part.NOTES; the sensitive category follows Part.SENSITIVE).

Notes are never changed or deleted. A correction is a new note that points to the one it
corrects and says why; the original stays visible, marked as corrected. A note and its
corrections form a thread (``thread`` is the first note; empty on the first note itself). A
thread with a note in the sensitive category counts as sensitive as a whole, so that moving a
misfiled note to the sensitive category also hides the original from those without sensitive
access.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Organisation
from stegvis.participants.models import Enrollment


class NoteCategory(models.TextChoices):
    CONTACT = "contact", _("Contact")
    COACHING = "coaching", _("Coaching")
    INTERNSHIP = "internship", _("Internship")
    LANGUAGE = "language", _("Language")
    ADMINISTRATION = "administration", _("Administration")
    OTHER = "other", _("Other")
    SENSITIVE = "sensitive", _("Sensitive (health, family)")


NOTE_FIELDS = ("date", "category", "text")


class Note(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="notes", verbose_name=_("enrollment")
    )
    date = models.DateField(_("date"), help_text=_("The day the note is about."))
    category = models.CharField(_("category"), max_length=20, choices=NoteCategory.choices)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    # Whom the author wrote for: notes are read by consented organisations too.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now, editable=False)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrects"),
    )
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    thread = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first note"),
    )

    class Meta:
        ordering = ["-date", "-created_at", "-pk"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(corrects__isnull=True, thread__isnull=True, correction_reason="")
                    | (Q(corrects__isnull=False, thread__isnull=False) & ~Q(correction_reason=""))
                ),
                name="note_correction_complete",
            )
        ]
        indexes = [
            models.Index(fields=["enrollment", "date", "created_at"], name="note_enrollment_date"),
            models.Index(fields=["thread", "category"], name="note_thread_category"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_category_display()}"
