"""These tests read English page texts; bundled instruments come from the data migration."""

from __future__ import annotations

import datetime

import pytest

from stegvis.progression.models import Answer, Assessment, AssessmentMode, Instrument


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def self_rating(db):
    return Instrument.objects.get(code="self-rating").current_version()


@pytest.fixture
def rate():
    """rate(enrollment, version, date, {item code: value}, point=...): an assessment row set,
    written directly (the services are tested on their own)."""

    def make(enrollment, version, day, values, point="start"):
        assessment = Assessment.objects.create(
            enrollment=enrollment,
            version=version,
            point=point,
            date=day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day),
            language="sv",
            mode=AssessmentMode.ASSISTED,
        )
        items = {item.code: item for item in version.items.all()}
        Answer.objects.bulk_create(
            Answer(assessment=assessment, item=items[code], value=value)
            for code, value in values.items()
        )
        return assessment

    return make
