"""Assessments for API tests, written directly (the services are tested in tests/progression)."""

from __future__ import annotations

import datetime

from stegvis.progression.models import Answer, Assessment, AssessmentMode, Instrument


def rate(
    enrollment,
    day: datetime.date,
    values: dict[str, int | None],
    *,
    instrument: str = "self-rating",
    point: str = "start",
    mode: str = AssessmentMode.ASSISTED,
    interpreter_used: bool = False,
) -> Assessment:
    """An assessment of the instrument's published version, {item code: value}."""
    version = Instrument.objects.get(code=instrument).current_version()
    assert version is not None
    assessment = Assessment.objects.create(
        enrollment=enrollment,
        version=version,
        point=point,
        date=day,
        language="sv",
        mode=mode,
        interpreter_used=interpreter_used,
    )
    items = {item.code: item for item in version.items.all()}
    Answer.objects.bulk_create(
        Answer(assessment=assessment, item=items[code], value=value)
        for code, value in values.items()
    )
    return assessment
