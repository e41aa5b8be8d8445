from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Partner, Programme, Track, Unit

from .eligibility import Eligibility
from .identity import SAMORDNINGSNUMMER, parse_identity_number
from .languages import LANGUAGE_CHOICES
from .models import EligibilityCheck, EnrollmentStatus, Gender, IdentityKind, Participant


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme} – {obj.organisation}"


class OrganisationPartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.organisation)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation} – {obj.name}"


class TrackChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme} – {obj.name}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ParticipantForm(forms.ModelForm):
    identity_number = forms.CharField(
        label=_("Identity number"),
        required=False,
        max_length=13,
        help_text=_("Personnummer or samordningsnummer, YYYYMMDD-NNNN."),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages"), choices=LANGUAGE_CHOICES, required=False
    )

    class Meta:
        model = Participant
        fields = [
            "identity_kind",
            "identity_number",
            "protected_identity",
            "first_name",
            "last_name",
            "birth_date",
            "gender",
            "citizenships",
            "stateless",
            "country_of_birth",
            "year_of_arrival",
            "municipality",
            "mother_tongue",
            "other_languages",
            "interpreter_needed",
            "interpreter_language",
            "years_of_schooling",
            "education_level",
            "labour_market_status",
            "referral_source",
        ]
        widgets = {"birth_date": DateInput()}
        help_texts = {
            "birth_date": _("Filled in from the identity number when there is one."),
            "citizenships": _("All citizenships. Hold Ctrl (Cmd on a Mac) to choose several."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = False
        if self.instance.pk and self.instance.identity_number:
            self.initial["identity_number"] = self.instance.identity_number_display

    def clean_year_of_arrival(self) -> int | None:
        year = self.cleaned_data.get("year_of_arrival")
        if year is not None and not 1940 <= year <= localdate().year:
            raise ValidationError(
                _("Give a year between 1940 and %(year)s.") % {"year": localdate().year}
            )
        return year

    def clean_years_of_schooling(self) -> int | None:
        years = self.cleaned_data.get("years_of_schooling")
        if years is not None and years > 30:
            raise ValidationError(_("Give a number of years between 0 and 30."))
        return years

    def validate_unique(self) -> None:
        """The registry's uniqueness rules live in the services, which explain them better."""

    def _get_validation_exclusions(self) -> set[str]:
        # Keeps the model's identity-number constraint out of form validation: the service
        # refuses a duplicate with a message that names the partner and links to the record.
        return {*super()._get_validation_exclusions(), "identity_number"}  # type: ignore[misc]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("identity_kind")
        raw = data.get("identity_number") or ""
        if kind == IdentityKind.NONE:
            if raw:
                self.add_error(
                    "identity_number",
                    _("Leave the number empty, or choose the kind of number it is."),
                )
            data["identity_number"] = None
            if not data.get("birth_date"):
                self.add_error("birth_date", _("Give the date of birth when there is no number."))
        elif kind:
            if not raw:
                self.add_error(
                    "identity_number", _("Give the number, or choose 'No Swedish identity number'.")
                )
            else:
                try:
                    parsed = parse_identity_number(raw)
                except ValidationError as error:
                    self.add_error("identity_number", error)
                else:
                    is_coordination = parsed.kind == SAMORDNINGSNUMMER
                    if is_coordination != (kind == IdentityKind.SAMORDNINGSNUMMER):
                        self.add_error(
                            "identity_number",
                            _("This is a coordination number (day + 60): choose that kind.")
                            if is_coordination
                            else _("This is a personal identity number: choose that kind."),
                        )
                    data["identity_number"] = parsed.number
                    given = data.get("birth_date")
                    if given and given != parsed.birth_date:
                        self.add_error(
                            "birth_date",
                            _("The date of birth does not match the identity number."),
                        )
                    data["birth_date"] = parsed.birth_date
        birth_date = data.get("birth_date")
        if birth_date and not date(1900, 1, 1) <= birth_date <= localdate():
            self.add_error("birth_date", _("The date of birth is not plausible."))
        arrival = data.get("year_of_arrival")
        if birth_date and arrival and arrival < birth_date.year:
            self.add_error("year_of_arrival", _("The year of arrival is before the date of birth."))
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            data["interpreter_language"] = data.get("mother_tongue") or ""
        return data

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EnrollmentForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Programme and partner"), queryset=Partner.objects.none()
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    external_id = forms.CharField(label=_("Your own id (optional)"), required=False, max_length=64)

    def __init__(self, *args: Any, partners: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner_field = self.fields["partner"]
        assert isinstance(partner_field, forms.ModelChoiceField)
        partner_field.queryset = partners
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        track_field = self.fields["track"]
        assert isinstance(track_field, forms.ModelChoiceField)
        track_field.queryset = (
            Track.objects.filter(programme__partners__in=partners)
            .distinct()
            .select_related("programme")
        )
        if len(partners) == 1:
            self.initial.setdefault("partner", partners[0])
        if len(units) == 1:
            self.initial.setdefault("unit", units[0])
        self.initial.setdefault("start_date", localdate())


class EnrollmentEditForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    track = forms.ModelChoiceField(label=_("Track"), queryset=Track.objects.none(), required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    external_id = forms.CharField(label=_("Your own id (optional)"), required=False, max_length=64)

    def __init__(self, *args: Any, units: Any, tracks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        track_field = self.fields["track"]
        assert isinstance(track_field, forms.ModelChoiceField)
        track_field.queryset = tracks


class EligibilityCheckForm(forms.ModelForm):
    class Meta:
        model = EligibilityCheck
        fields = ["method", "checked_on", "document_note"]
        widgets = {"checked_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("checked_on", localdate())

    def clean_checked_on(self) -> date:
        checked_on = self.cleaned_data["checked_on"]
        if checked_on > localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return checked_on


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name or identity number"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    programme: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    partner = OrganisationPartnerChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False
    )
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    track: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Track"), queryset=Track.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + EnrollmentStatus.choices, required=False
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"), choices=[("", _("All"))] + Eligibility.choices, required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", _("All"))] + Gender.choices, required=False
    )
    possible_duplicates = forms.BooleanField(label=_("Only possible duplicates"), required=False)

    def __init__(self, *args: Any, choices: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("programme", "partner", "unit", "track"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = choices[f"{name}s"]
            field.empty_label = str(_("All"))
