from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.participants.forms import DateInput

from .models import NOTE_FIELDS, Note


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = list(NOTE_FIELDS)
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "category": _(
                "Health and family go under 'Sensitive': only those allowed to see the "
                "sensitive part can read them."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", localdate())

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if day > localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day


class NoteCorrectionForm(NoteForm):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("For example: wrong date, wrong person, belongs under 'Sensitive'."),
    )

    class Meta(NoteForm.Meta):
        labels = {"text": _("Corrected note")}
