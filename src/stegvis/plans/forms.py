"""Input validation for plans and check-ins. The services decide who may write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Membership, Organisation
from stegvis.participants.forms import DateInput
from stegvis.participants.languages import LANGUAGE_CHOICES

from .models import AgreedAction, CheckIn, Goal, Plan, PlannedActivity
from .services import (
    ACTIVITY_FIELDS,
    GOAL_FIELDS,
    ActionInput,
    ActivityInput,
    CheckInInput,
    GoalInput,
)

User = get_user_model()
LANGUAGE_OR_NONE = [("", _("– choose –")), *LANGUAGE_CHOICES]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def _set_queryset(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


def _not_in_future(value: date | None) -> None:
    if value is not None and value > localdate():
        raise ValidationError(_("The date cannot be in the future."))


def _belongs_to(user: Any, organisation: Organisation) -> bool:
    return Membership.objects.filter(
        user=user, unit__organisation=organisation, is_active=True
    ).exists()


# Plans ------------------------------------------------------------------------------------------


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "target_date", "status"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "target_date": DateInput(),
        }
        help_texts = {"text": _("In plain words, as the participant said it.")}


class ActivityForm(forms.ModelForm):
    responsible_user = PersonChoiceField(
        label=_("Who (staff)"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = PlannedActivity
        fields = [
            "what",
            "organisation",
            "responsible_user",
            "responsible_name",
            "starts_on",
            "ends_on",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organisation", organisations)
        _set_queryset(self, "responsible_user", people)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end cannot be before the start."))
        if data.get("responsible_user") and data.get("responsible_name"):
            self.add_error(
                "responsible_name", _("Choose a member of staff or write a name, not both.")
            )
        user, organisation = data.get("responsible_user"), data.get("organisation")
        if user and organisation and not _belongs_to(user, organisation):
            self.add_error(
                "responsible_user",
                _("%(person)s does not work at %(organisation)s.")
                % {"person": user, "organisation": organisation},
            )
        return data


class _RowsFormSet(BaseInlineFormSet):
    delete_label: Any = _("Remove")
    value_fields: tuple[str, ...] = ()

    def add_fields(self, form: forms.BaseForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label

    def rows(self) -> list[tuple[int | None, bool, dict[str, Any]]]:
        """(pk of an existing row, delete?, cleaned values) for every row that was filled in."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            data = form.cleaned_data
            if not data:
                continue
            values = {name: data.get(name) for name in self.value_fields}
            rows.append((form.instance.pk, bool(data.get("DELETE")), values))
        return rows


class GoalFormSet(_RowsFormSet):
    delete_label = _("Remove this goal")
    value_fields = GOAL_FIELDS

    def goal_inputs(self) -> list[GoalInput]:
        return [GoalInput(pk=pk, delete=delete, **values) for pk, delete, values in self.rows()]


class ActivityFormSet(_RowsFormSet):
    delete_label = _("Remove this activity")
    value_fields = ACTIVITY_FIELDS

    def activity_inputs(self) -> list[ActivityInput]:
        return [ActivityInput(pk=pk, delete=delete, **values) for pk, delete, values in self.rows()]


def goal_formset(*, extra: int) -> type[GoalFormSet]:
    return inlineformset_factory(  # type: ignore[return-value]
        Plan, Goal, form=GoalForm, formset=GoalFormSet, extra=extra, can_delete=True
    )


def activity_formset(*, extra: int) -> type[ActivityFormSet]:
    return inlineformset_factory(  # type: ignore[return-value]
        Plan,
        PlannedActivity,
        form=ActivityForm,
        formset=ActivityFormSet,
        extra=extra,
        can_delete=True,
    )


class PlanAgreeForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("Agreed with the participant on"),
        widget=DateInput(),
        validators=[_not_in_future],
    )
    conversation_language = forms.ChoiceField(
        label=_("Language of the conversation"), choices=LANGUAGE_OR_NONE, required=False
    )
    interpreter_used = forms.BooleanField(label=_("An interpreter took part"), required=False)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter language"), choices=LANGUAGE_OR_NONE, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("agreed_on", localdate())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_used") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Choose the interpreter's language."))
        return data


# Check-ins --------------------------------------------------------------------------------------


class CheckInForm(forms.ModelForm):
    staff = PeopleChoiceField(
        label=_("Staff present"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations taking part"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter language"), choices=LANGUAGE_OR_NONE, required=False
    )

    class Meta:
        model = CheckIn
        fields = [
            "held_on",
            "participant_present",
            "staff",
            "external_attendees",
            "organisations",
            "interpreter_used",
            "interpreter_language",
            "summary",
        ]
        widgets = {
            "held_on": DateInput(),
            "external_attendees": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "organisations", organisations)
        _set_queryset(self, "staff", people)
        self.initial.setdefault("held_on", localdate())

    def clean_held_on(self) -> date | None:
        held_on: date | None = self.cleaned_data.get("held_on")
        _not_in_future(held_on)
        return held_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("interpreter_used") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Choose the interpreter's language."))
        return data

    def checkin_input(self) -> CheckInInput:
        data = self.cleaned_data
        return CheckInInput(
            held_on=data["held_on"],
            participant_present=data["participant_present"],
            staff=list(data["staff"]),
            external_attendees=data["external_attendees"],
            organisations=list(data["organisations"]),
            interpreter_used=data["interpreter_used"],
            interpreter_language=data["interpreter_language"],
            summary=data["summary"],
        )


class AgreedActionForm(forms.ModelForm):
    owner_user = PersonChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty when the organisation decides who does it."),
    )

    class Meta:
        model = AgreedAction
        fields = ["what", "owner_user", "owner_organisation", "due_on"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_queryset(self, "owner_organisation", organisations)
        _set_queryset(self, "owner_user", people)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, organisation = data.get("owner_user"), data.get("owner_organisation")
        if user and organisation and not _belongs_to(user, organisation):
            self.add_error(
                "owner_user",
                _("%(person)s does not work at %(organisation)s.")
                % {"person": user, "organisation": organisation},
            )
        return data


class ActionFormSet(BaseInlineFormSet):
    def action_inputs(self) -> list[ActionInput]:
        return [
            ActionInput(
                what=form.cleaned_data["what"],
                owner_user=form.cleaned_data.get("owner_user"),
                owner_organisation=form.cleaned_data["owner_organisation"],
                due_on=form.cleaned_data["due_on"],
            )
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ActionFormSetClass: type[ActionFormSet] = inlineformset_factory(  # type: ignore[assignment]
    CheckIn,
    AgreedAction,
    form=AgreedActionForm,
    formset=ActionFormSet,
    extra=3,
    can_delete=False,
)


class MarkDoneForm(forms.Form):
    next = forms.CharField(required=False, widget=forms.HiddenInput)
