from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.access.models import Part
from stegvis.organisations.models import Organisation
from stegvis.participants.forms import DateInput
from stegvis.participants.languages import LANGUAGE_CHOICES

from .models import SHAREABLE_PARTS, Consent


class OrganisationChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


class ConsentForm(forms.Form):
    organisations = OrganisationChoices(
        label=_("Share with these organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    parts = forms.MultipleChoiceField(
        label=_("Parts of the record to share"),
        choices=[(part.value, part.label) for part in SHAREABLE_PARTS],
        widget=forms.CheckboxSelectMultiple,
    )
    takes_part_in_plan = forms.BooleanField(
        label=_("The organisations take part in the plan (may change it)"), required=False
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("For example: joint planning of internship and language support."),
    )
    form = forms.ChoiceField(label=_("How the consent was given"), choices=Consent.Form.choices)
    language = forms.ChoiceField(label=_("Language of the consent"), choices=LANGUAGE_CHOICES)
    interpreter_used = forms.BooleanField(label=_("Interpreter used"), required=False)
    document_reference = forms.CharField(
        label=_("Where the signed form is kept"),
        max_length=100,
        required=False,
        help_text=_("For example a case number. Do not upload the document."),
    )
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), widget=DateInput())

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        default_end: datetime.date,
        default_language: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = organisations
        today = localdate()
        self.initial.setdefault("given_on", today)
        self.initial.setdefault("valid_from", today)
        self.initial.setdefault("valid_to", default_end)
        self.initial.setdefault("parts", [Part.PLAN.value, Part.CHECKINS.value])
        if default_language:
            self.initial.setdefault("language", default_language)


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example how the participant told you."),
    )
