# ruff: noqa: E501 - expected messages read best on one line each
"""Assessments (self-ratings): one row per answer, grouped by person, version and date."""

from __future__ import annotations

import datetime

import pytest

from stegvis.access.models import AccessEvent, Part
from stegvis.languagelevels.models import LanguageResult
from stegvis.progression import services as progression_services
from stegvis.progression.models import Answer, Assessment, Instrument
from stegvis.transfer import imports
from tests.transfer.test_imports import _commit, _plan, _problems

pytestmark = pytest.mark.django_db

HEADER = "Personnummer;Instrument;Version;Datum;Mätpunkt;Sätt;Tolk användes;Språk;Fråga;Värde"


def _csv(*lines):
    return "\r\n".join(lines).encode("cp1252")


@pytest.fixture
def one(cast):
    return cast.enrollment_a.participant.identity_number


def test_problems_are_listed_by_row_and_column(cast, one):
    data = _csv(
        HEADER,
        f"{one};nosuch;1;2024-04-02;start;;;;swedish;4",
        f"{one};self-rating;9;2024-04-02;start;;;;swedish;4",
        f"{one};self-rating;1;2024-04-02;start;;;;shoe-size;4",
        f"{one};self-rating;1;2024-04-02;start;;;;swedish;11",
        f"{one};self-rating;1;2024-04-02;start;;;;society;a lot",
        f"{one};self-rating;1;2024-04-02;start;;;;swedish;5",
        f"{one};self-rating;1;2024-04-02;start;;;;swedish;6",
        f"{one};self-rating;1;2024-04-02;exit;;;;society;6",
        f"{one};self-rating;1;2099-01-01;start;;;;society;6",
        f"{one};self-rating;1;2024-04-02;start;sometimes;;;future-work;6",
    )
    plan = _plan(cast, data)
    assert _problems(plan) == [
        (
            2,
            "Instrument",
            "nosuch",
            "Unknown instrument: write the code of an instrument in Stegvis.",
        ),
        (3, "Version", "9", "Unknown version of this instrument."),
        (
            4,
            "Fråga",
            "shoe-size",
            "Unknown question: it is not part of this version of the instrument.",
        ),
        (5, "Värde", "11", "Give a value from 1 to 10 for this question."),
        (6, "Värde", "a lot", "Give a value from 1 to 10 for this question."),
        (8, "Fråga", "swedish", "The same question of the same assessment as on row 7."),
        (9, "Mätpunkt", "exit", "The same assessment has other details on row 7."),
        (10, "Datum", "2099-01-01", "The date is in the future."),
        (11, "Sätt", "sometimes", "Unknown value: write one of self, assisted, or its name."),
    ]
    with pytest.raises(imports.ImportRefused):
        _commit(cast, data)
    assert not Assessment.objects.exists()


def test_rows_of_one_assessment_are_recorded_through_the_service_and_audited(cast, one):
    two = cast.enrollment_a2.participant.identity_number
    data = _csv(
        HEADER,
        f"{one};self-rating;1;2024-04-02;start;self;ja;ar;swedish;4",
        f"{one};Self-Rating;1;2024-04-02;start;self;ja;ar;society;7",
        f"{one};self-rating;1;2024-10-02;follow_up;;;;swedish;6",
        f"{two};self-rating;1;2024-04-02;Start;assisted;nej;sv;future-work;",
    )
    before = AccessEvent.objects.filter(part=Part.ASSESSMENTS).count()
    plan = _commit(cast, data)
    assert plan.counts() == {"assessments": {"create": 3, "update": 0, "unchanged": 0}}
    first = Assessment.objects.get(enrollment=cast.enrollment_a, date=datetime.date(2024, 4, 2))
    assert (first.point, first.mode, first.interpreter_used, first.language) == (
        "start",
        "self",
        True,
        "ar",
    )
    assert first.assisted_by is None
    assert dict(first.answers.values_list("item__code", "value")) == {
        "swedish": 4, "society": 7, "future-work": None,  # left out: skipped
    }  # fmt: skip
    later = Assessment.objects.get(enrollment=cast.enrollment_a, date=datetime.date(2024, 10, 2))
    assert (later.point, later.mode, later.language, later.assisted_by) == (
        "follow_up",
        "assisted",
        "sv",
        cast.anna,
    )
    assert (
        Answer.objects.filter(
            assessment__enrollment=cast.enrollment_a2, value__isnull=False
        ).count()
        == 0
    )
    assert AccessEvent.objects.filter(part=Part.ASSESSMENTS).count() == before + 3
    assert first.version.frozen_at is not None

    # The same file again: matched by person, version and date, nothing written or logged.
    again = _commit(cast, data)
    assert again.counts() == {"assessments": {"create": 0, "update": 0, "unchanged": 3}}
    assert Assessment.objects.count() == 3
    assert AccessEvent.objects.filter(part=Part.ASSESSMENTS).count() == before + 3


def test_an_assessment_recorded_with_other_answers_is_a_problem(cast, one):
    _commit(cast, _csv(HEADER, f"{one};self-rating;1;2024-04-02;start;;;;swedish;4"))
    plan = _plan(cast, _csv(HEADER, f"{one};self-rating;1;2024-04-02;start;;;;swedish;5"))
    assert _problems(plan) == [
        (
            2,
            "Datum",
            "2024-04-02",
            "An assessment with this instrument version on this date is already recorded with other answers; correct it in Stegvis.",
        ),
    ]
    assert plan.rows == []


def test_english_headers_and_a_new_person_of_the_same_file(cast):
    from tests.transfer.conftest import csv_file, person_row

    people = csv_file([person_row(1)]).decode("utf-8-sig").splitlines()
    number = people[1].split(";")[0]
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("deltagare.csv", "\r\n".join(people).encode("utf-8"))
        archive.writestr(
            "assessments.csv",
            _csv(
                "Identity number;Instrument;Version;Date;Measurement point;Item;Value",
                f"{number};self-rating;1;2024-04-02;start;swedish;3",
            ),
        )
    plan = _commit(cast, buffer.getvalue())
    assert plan.counts()["assessments"] == {"create": 1, "update": 0, "unchanged": 0}
    assert Assessment.objects.get().enrollment.participant.identity_number == number.replace(
        "-", ""
    )


def test_commit_is_all_or_nothing_when_a_service_fails_midway(cast, one, monkeypatch):
    data = _csv(
        HEADER,
        f"{one};self-rating;1;2024-04-02;start;;;;swedish;4",
        f"{one};self-rating;1;2024-10-02;follow_up;;;;swedish;6",
    )
    calls = []
    real = progression_services.assessment_import

    def dies_on_the_second(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(progression_services, "assessment_import", dies_on_the_second)
    events = AccessEvent.objects.count()
    with pytest.raises(RuntimeError):
        _commit(cast, data)
    assert len(calls) == 2
    assert not Assessment.objects.exists() and not LanguageResult.objects.exists()
    assert AccessEvent.objects.count() == events
    assert Instrument.objects.get(code="self-rating").current_version().frozen_at is None


def test_the_service_refuses_another_organisations_participant_and_unknown_modes(cast):
    from django.core.exceptions import ValidationError

    version = Instrument.objects.get(code="self-rating").current_version()
    common = dict(version=version, point="start", language="sv", answers={}, interpreter_used=False, date=datetime.date(2024, 4, 2))  # fmt: skip
    with pytest.raises(ValidationError):
        progression_services.assessment_import(
            actor=cast.bea, enrollment=cast.enrollment_a, mode="self", **common
        )
    with pytest.raises(ValidationError):
        progression_services.assessment_import(
            actor=cast.anna, enrollment=cast.enrollment_a, mode="link", **common
        )
    assert not Assessment.objects.exists()
