from __future__ import annotations

import datetime

from stegvis.languagelevels.models import LanguageResult, ResultKind, Source

D1 = datetime.date(2025, 3, 1)
D2 = datetime.date(2025, 6, 1)
D3 = datetime.date(2025, 9, 1)


def sfi(enrollment, by, day, path, course, grade=""):
    return LanguageResult.objects.create(
        enrollment=enrollment,
        kind=ResultKind.SFI,
        result_date=day,
        study_path=path,
        course=course,
        grade=grade,
        source=Source.SCHOOL_RESULT,
        recorded_by=by,
    )


def sas(enrollment, by, day, grade=""):
    return LanguageResult.objects.create(
        enrollment=enrollment,
        kind=ResultKind.SAS,
        result_date=day,
        grade=grade,
        source=Source.SCHOOL_RESULT,
        recorded_by=by,
    )


def cefr(enrollment, by, day, skill, level):
    return LanguageResult.objects.create(
        enrollment=enrollment,
        kind=ResultKind.CEFR,
        result_date=day,
        skill=skill,
        cefr_level=level,
        source=Source.TEACHER_ASSESSMENT,
        recorded_by=by,
    )
