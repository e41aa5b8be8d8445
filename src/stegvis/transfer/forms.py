from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.organisations.models import Partner

from .parsing import MAX_BYTES


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation} – {obj.programme}"


class UploadForm(forms.Form):
    partner = PartnerChoiceField(label=_("Import into"), queryset=Partner.objects.none())
    file = forms.FileField(
        label=_("File"),
        help_text=_("xlsx, CSV (semicolon or comma) or a zip of CSV files from the export."),
    )

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = partners
        if len(partners) == 1:
            field.initial = partners[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload
