from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Partner, Programme

from .indicators import Period, indicators_for
from .models import Section


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def period(self) -> Period | None:
        if not self.is_valid():
            return None
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if not start and not end:
            return None
        import datetime

        return Period(start or datetime.date.min, end or datetime.date.max)


class TargetForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Whole programme"),
    )
    indicator = forms.ChoiceField(label=_("Indicator"))
    label = forms.CharField(label=_("Goal (optional)"), max_length=200, required=False)
    value = forms.DecimalField(
        label=_("Target (number, or percent for shares)"),
        min_value=0,
        max_digits=8,
        decimal_places=1,
    )
    women = forms.IntegerField(label=_("Of which women (optional)"), min_value=0, required=False)
    men = forms.IntegerField(label=_("Of which men (optional)"), min_value=0, required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, forms.ModelChoiceField)
        partner_field.queryset = Partner.objects.filter(programme=programme).select_related(
            "organisation"
        )
        indicator_field = self.fields["indicator"]
        assert isinstance(indicator_field, forms.ChoiceField)
        indicator_field.choices = [
            (ind.code, f"{ind.code} – {ind.title}") for ind in indicators_for(programme)
        ]


class NarrativeForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in Section:
            self.fields[section.value] = forms.CharField(
                label=section.label,
                required=False,
                max_length=20000,
                widget=forms.Textarea({"rows": 6}),
            )
