from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Unit
from stegvis.participants.forms import DateInput

from .models import MAX_VISITORS, Topic


class _UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name} – {obj.name}"


class QuickVisitForm(forms.Form):
    """The phone page: unit, date, how many; the topic comes from the button pressed."""

    unit = _UnitField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    visit_date = forms.DateField(label=_("Date"), widget=DateInput())
    visitors = forms.IntegerField(
        label=_("Number of visitors"),
        min_value=1,
        max_value=MAX_VISITORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=Topic.choices,
        error_messages={
            "required": _("Tap a topic to register the visitors."),
            "invalid_choice": _("Tap a topic to register the visitors."),
        },
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.initial.setdefault("visit_date", localdate())
        self.initial.setdefault("visitors", 1)


class ParticipantVisitForm(forms.Form):
    unit = _UnitField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    visit_date = forms.DateField(label=_("Date"), widget=DateInput())
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.initial.setdefault("visit_date", localdate())


class SummaryForm(forms.Form):
    unit = _UnitField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=None)
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
