from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Track, Unit
from stegvis.participants.forms import DateInput
from stegvis.participants.models import Enrollment

from .models import (
    ACTIVITY_FIELDS,
    Activity,
    ActivityType,
    AttendanceStatus,
    EndReason,
    Participation,
    Session,
)


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


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SessionPatternForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    first_date = forms.DateField(label=_("From"), widget=DateInput())
    last_date = forms.DateField(label=_("To"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End time"), required=False, widget=TimeInput())
    hours = forms.DecimalField(
        label=_("Hours"),
        required=False,
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
        help_text=_("Only needed without times; otherwise counted from them."),
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("first_date", max(activity.start_date, localdate()))
        if activity.end_date:
            self.initial.setdefault("last_date", activity.end_date)


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time", "hours", "cancelled", "cancel_reason", "note"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].required = False
        self.fields["hours"].help_text = _("Counted from the times when left empty.")


class ParticipationEndForm(forms.Form):
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())
    end_reason = forms.ChoiceField(
        label=_("Reason for ending"), choices=[("", _("Choose a reason")), *EndReason.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("end_date", localdate())


class ActivityTypeForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = ["programme", "name", "description", "funder_category"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, programmes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["programme"].empty_label = None  # type: ignore[attr-defined]
        self.fields["funder_category"].help_text = _("The funder counts participants per category.")

    def validate_unique(self) -> None:
        # The service checks the name (case-insensitively) and explains it.
        pass


class AttendanceForm(forms.Form):
    """One radio group and one hours field per participant: ``status_<id>``, ``hours_<id>``.

    Radios default to the saved mark; hours to the saved hours or the session's length.
    """

    def __init__(
        self, *args: Any, participations: Iterable[Participation], session: Session, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[Participation, str, str]] = []
        for participation in participations:
            pk = participation.pk
            status, hours = f"status_{pk}", f"hours_{pk}"
            saved = getattr(participation, "mark_status", None)
            saved_hours = getattr(participation, "mark_hours", None)
            self.fields[status] = forms.ChoiceField(
                label=_participant_label(participation),
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=saved,
            )
            self.fields[hours] = forms.DecimalField(
                label=_("Hours"),
                max_digits=4,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=Decimal(24),
                required=False,
                initial=saved_hours if saved == AttendanceStatus.PRESENT else session.hours,
            )
            self.rows.append((participation, status, hours))

    def marks(self, *, everyone_present: bool, default_hours: Decimal) -> dict[int, Any]:
        from .services import Mark

        result = {}
        for participation, status, hours in self.rows:
            value = AttendanceStatus.PRESENT if everyone_present else self.cleaned_data[status]
            if not value:
                continue  # no choice made: leave the participant unmarked
            amount = self.cleaned_data[hours]
            result[participation.pk] = Mark(value, default_hours if amount is None else amount)
        return result

    def bound_rows(self) -> list[tuple[Participation, Any, Any]]:
        return [(p, self[status], self[hours]) for p, status, hours in self.rows]


def _participant_label(participation: Participation) -> str:
    return _enrollment_label(participation.enrollment)
