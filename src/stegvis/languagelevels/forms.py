from __future__ import annotations

from typing import Any

from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from stegvis.participants.forms import DateInput

from .models import CefrLevel, Grade, ResultKind, SfiCourse, Skill, Source, StudyPath


class LanguageResultForm(forms.Form):
    """One form for every kind: the service keeps the fields of the chosen kind and says,
    per field, what is missing or does not fit (e.g. a course not in the study path)."""

    kind = forms.ChoiceField(label=_("Kind of result"), choices=ResultKind.choices)
    result_date = forms.DateField(label=_("Date of the result"), widget=DateInput())
    study_path = forms.TypedChoiceField(
        label=_("Study path (SFI)"),
        choices=[("", "–"), *StudyPath.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Study path 1 has courses A–D, study path 2 B–D and study path 3 C–D."),
    )
    course = forms.ChoiceField(
        label=_("Course (SFI)"), choices=[("", "–"), *SfiCourse.choices], required=False
    )
    grade = forms.ChoiceField(
        label=_("Grade (SFI or SAS grund)"),
        choices=[("", _("Not graded yet (studying the course)")), *Grade.choices],
        required=False,
        help_text=_(
            "A–E and G are passed. F and IG are not passed: the course does not count as a "
            "level reached."
        ),
    )
    skill = forms.ChoiceField(
        label=_("Skill (CEFR)"), choices=[("", "–"), *Skill.choices], required=False
    )
    cefr_level = forms.ChoiceField(
        label=_("CEFR level"), choices=[("", "–"), *CefrLevel.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=Source.choices, initial=Source.SCHOOL_RESULT
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Do not write health or family details here."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("result_date", localdate())
        self.initial.setdefault("kind", ResultKind.SFI)
