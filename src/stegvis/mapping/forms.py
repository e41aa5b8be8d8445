from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.participants.forms import DateInput

from .models import (
    SENSITIVE_FIELDS,
    Mapping,
    MappingLanguage,
    Qualification,
    RecognitionApplied,
    SensitiveCircumstances,
    WorkExperience,
)
from .selectors import LANGUAGE_FIELDS, MAPPING_FIELDS, QUALIFICATION_FIELDS, WORK_FIELDS
from .services import REQUIRED_TO_COMPLETE

# Empty rows offered after the filled ones; saving a draft offers more.
EXTRA_ROWS = 2
MAX_ROWS = 30


class MappingForm(forms.ModelForm):
    class Meta:
        model = Mapping
        fields = list(MAPPING_FIELDS)
        widgets = {
            "carried_out_on": DateInput(),
            "informal_skills": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in REQUIRED_TO_COMPLETE:
            field = self.fields[name]
            needed = _("Needed to complete the mapping.")
            field.help_text = (
                format_lazy("{} {}", field.help_text, needed) if field.help_text else needed
            )

    def clean_carried_out_on(self) -> date:
        carried_out_on: date = self.cleaned_data["carried_out_on"]
        if carried_out_on > localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return carried_out_on

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("interpreter_used") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Which language was interpreted?"))
        return data


class LanguageForm(forms.ModelForm):
    class Meta:
        model = MappingLanguage
        fields = list(LANGUAGE_FIELDS)


class WorkExperienceForm(forms.ModelForm):
    class Meta:
        model = WorkExperience
        fields = list(WORK_FIELDS)


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = list(QUALIFICATION_FIELDS)
        widgets = {"recognition_applied_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        applied_on = data.get("recognition_applied_on")
        if applied_on and data.get("recognition_applied") != RecognitionApplied.YES:
            self.add_error(
                "recognition_applied_on",
                _("Give a date only when recognition has been applied for."),
            )
        if applied_on and applied_on > localdate():
            self.add_error("recognition_applied_on", _("The date cannot be in the future."))
        return data


def _formset(form: type[forms.ModelForm], model: type[Any]) -> Any:
    return forms.inlineformset_factory(
        Mapping,
        model,
        form=form,
        extra=EXTRA_ROWS,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
    )


LanguageFormSet = _formset(LanguageForm, MappingLanguage)
WorkExperienceFormSet = _formset(WorkExperienceForm, WorkExperience)
QualificationFormSet = _formset(QualificationForm, Qualification)

FORMSETS = {
    "languages": LanguageFormSet,
    "work_experience": WorkExperienceFormSet,
    "qualifications": QualificationFormSet,
}


def mapping_formsets(
    *,
    data: Any,
    instance: Mapping,
    prefill: dict[str, list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """The three inline formsets of the edit page.

    A new mapping (no saved draft yet) shows the rows it starts from as extra forms with
    initial values. When posted, they are read without those initials, so that rows kept as
    they were count as filled in rather than as untouched empty rows.
    """
    formsets = {}
    for name, formset_class in FORMSETS.items():
        kwargs: dict[str, Any] = {"instance": instance, "prefix": name}
        if data is None and prefill and prefill.get(name):
            rows = prefill[name]
            kwargs["initial"] = rows
            formset_class = forms.inlineformset_factory(
                Mapping,
                formset_class.model,
                form=formset_class.form,
                extra=len(rows) + EXTRA_ROWS,
                can_delete=True,
                max_num=MAX_ROWS,
                validate_max=True,
            )
        formsets[name] = formset_class(data, **kwargs)
    return formsets


def formset_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled-in, not removed rows of a valid formset, as plain values."""
    fields = list(formset.form._meta.fields)
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        if not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        rows.append({name: form.cleaned_data.get(name) for name in fields})
    return rows


class SensitiveCircumstancesForm(forms.ModelForm):
    class Meta:
        model = SensitiveCircumstances
        fields = list(SENSITIVE_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in SENSITIVE_FIELDS}
