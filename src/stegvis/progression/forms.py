from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Programme

from . import selectors
from .models import INSTRUMENT_LANGUAGES, Instrument, InstrumentVersion, MeasurementPoint


class _VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.instrument.name} (v{obj.number})"


class AssistedStartForm(forms.Form):
    version = _VersionChoice(label=_("Instrument"), queryset=InstrumentVersion.objects.none())
    point = forms.ChoiceField(label=_("Measurement point"), choices=MeasurementPoint.choices)
    language = forms.ChoiceField(label=_("Language of the questions"), choices=INSTRUMENT_LANGUAGES)
    interpreter_used = forms.BooleanField(label=_("An interpreter is helping"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = selectors.published_versions()  # type: ignore[attr-defined]


class LinkForm(forms.Form):
    version = _VersionChoice(label=_("Instrument"), queryset=InstrumentVersion.objects.none())
    point = forms.ChoiceField(label=_("Measurement point"), choices=MeasurementPoint.choices)
    valid_days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=60, initial=7
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = selectors.published_versions().filter(  # type: ignore[attr-defined]
            instrument__self_report=True
        )


class AudioForm(forms.Form):
    item = forms.ChoiceField(label=_("Question"))
    language = forms.ChoiceField(label=_("Language"), choices=INSTRUMENT_LANGUAGES)
    file = forms.FileField(
        label=_("Recording"), help_text=_("MP3, Ogg, WAV or WebM, at most 5 MB.")
    )

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            (str(item.pk), f"{item.position}. {item.code}") for item in items
        ]  # type: ignore[attr-defined]


class CohortForm(forms.Form):
    programme: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), empty_label=None
    )
    instrument: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Instrument"), queryset=Instrument.objects.none(), empty_label=None
    )
    grouping = forms.ChoiceField(label=_("Group by"), choices=list(selectors.GROUPINGS.items()))

    def __init__(self, *args: Any, programmes: Any, instruments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["instrument"].queryset = instruments  # type: ignore[attr-defined]
