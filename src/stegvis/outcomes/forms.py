from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.participants.forms import DateInput

from .models import EXIT_FIELDS, Answer, Exit, FollowUp


def _not_in_future(day: date) -> date:
    if day > localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return day


class ExitForm(forms.ModelForm):
    class Meta:
        model = Exit
        fields = list(EXIT_FIELDS)
        widgets = {"exit_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "exit_type": _(
                "An erroneous registration is kept in the log but left out of every count, "
                "and no follow-up is scheduled."
            ),
            "note": _("Do not write health or family details here."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("exit_date", localdate())

    def clean_exit_date(self) -> date:
        return _not_in_future(self.cleaned_data["exit_date"])


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["done_date", "in_employment", "improved_situation", "note"]
        widgets = {"done_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_date"].required = True
        for name in ("in_employment", "improved_situation"):
            field = self.fields[name]
            field.required = True
            field.choices = Answer.choices  # type: ignore[attr-defined]
        self.initial.setdefault("done_date", localdate())

    def clean_done_date(self) -> date:
        return _not_in_future(self.cleaned_data["done_date"])
