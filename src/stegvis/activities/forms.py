from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Track, Unit
from stegvis.participants.forms import DateInput
from stegvis.participants.models import Enrollment

from .models import ACTIVITY_FIELDS, Activity, ActivityType


class ActivityForm(forms.ModelForm):
    """A new activity. Types, units, tracks and staff are limited to the actor's own."""

    class Meta:
        model = Activity
        fields = [*ACTIVITY_FIELDS, "staff"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "staff": forms.CheckboxSelectMultiple(),
        }

    def __init__(
        self,
        *args: Any,
        activity_types: QuerySet[ActivityType],
        units: QuerySet[Unit],
        staff: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = activity_types  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].help_text = _("The unit that runs the activity.")
        self.fields["track"].queryset = Track.objects.filter(  # type: ignore[attr-defined]
            programme_id__in=activity_types.values("programme_id")
        )
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        self.initial.setdefault("start_date", localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class ParticipationAddForm(forms.Form):
    enrollment = forms.ModelChoiceField(
        label=_("Participant"),
        queryset=Enrollment.objects.none(),
        empty_label=_("Choose a participant"),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())

    def __init__(self, *args: Any, enrollments: QuerySet[Enrollment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enrollment"]
        field.queryset = enrollments  # type: ignore[attr-defined]
        field.label_from_instance = _enrollment_label  # type: ignore[attr-defined]
        self.initial.setdefault("start_date", localdate())


def _enrollment_label(enrollment: Enrollment) -> str:
    person = enrollment.participant
    if person.protected_identity:
        return f"{_('Protected identity')} ({enrollment.pseudonym})"
    return f"{person.last_name}, {person.first_name} ({enrollment.pseudonym})"
