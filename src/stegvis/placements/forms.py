from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.activities.models import Participation
from stegvis.organisations.models import Partner
from stegvis.participants.forms import DateInput

from .models import PLACEMENT_FIELDS, EmploymentSupport, Outcome, Placement, Sector, Workplace
from .orgnumber import parse_organisation_number


class WorkplaceForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Programme and partner"),
        queryset=Partner.objects.none(),
        help_text=_("The workplace is shared with every partner in the programme."),
    )
    name = forms.CharField(label=_("Employer name"), max_length=200)
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        help_text=_(
            "Ten digits, NNNNNN-NNNN. A sole trader uses the owner's personal identity number."
        ),
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)

    def __init__(self, *args: Any, partners: QuerySet[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        field.queryset = partners  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.programme.name} – {p.organisation.name}"
        )
        if len(partners) == 1:
            self.initial.setdefault("partner", partners[0].pk)

    def clean_organisation_number(self) -> str:
        return parse_organisation_number(self.cleaned_data["organisation_number"]).number


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = list(PLACEMENT_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "supervisor_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "end_date": _("Planned end date. Leave empty if not decided."),
            "hours_per_week": _("Between 1 and 40."),
        }

    def __init__(
        self,
        *args: Any,
        workplaces: QuerySet[Workplace],
        participations: QuerySet[Participation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = workplaces  # type: ignore[attr-defined]
        field = self.fields["participation"]
        field.queryset = participations  # type: ignore[attr-defined]
        field.label_from_instance = lambda p: (  # type: ignore[attr-defined]
            f"{p.activity.name} ({p.start_date:%Y-%m-%d})"
        )
        field.empty_label = _("Not linked to an activity")  # type: ignore[attr-defined]
        field.help_text = _("Optional: the internship activity the participant takes part in.")
        self.initial.setdefault("start_date", localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def _post_clean(self) -> None:
        # The service validates against the enrollment; skip the model's own full_clean here.
        pass


class VisitForm(forms.Form):
    visit_date = forms.DateField(label=_("Date of the visit"), widget=DateInput())
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the internship is going, agreed next steps. No health details."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("visit_date", localdate())


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Outcome.choices if c[0] != Outcome.ONGOING],
        widget=forms.RadioSelect,
    )
    outcome_date = forms.DateField(label=_("Date"), widget=DateInput())
    employment_support = forms.ChoiceField(
        label=_("Kind of support (for an employment)"),
        choices=[("", _("Not an employment")), *EmploymentSupport.choices],
        required=False,
    )
    end_date = forms.DateField(
        label=_("New end date (when extended)"), widget=DateInput(), required=False
    )
    outcome_note = forms.CharField(
        label=_("About the outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("outcome_date", localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("outcome") == Outcome.EMPLOYMENT and not data.get("employment_support"):
            self.add_error(
                "employment_support",
                ValidationError(
                    _("Choose the kind of support for the employment, or 'No support'.")
                ),
            )
        return data


class PlacementFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            ("ongoing", _("Ongoing")),
            ("needs_outcome", _("End date passed, no outcome yet")),
            ("ended", _("Ended")),
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices]
    )


class WorkplaceSearchForm(forms.Form):
    q = forms.CharField(label=_("Employer name or organisation number"), required=False)
