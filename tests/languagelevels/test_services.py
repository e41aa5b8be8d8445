from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.languagelevels import services
from stegvis.languagelevels.models import LanguageResult

from .helpers import D1, D2

SFI_B = {
    "kind": "sfi_course",
    "result_date": D1,
    "source": "school_result",
    "study_path": 2,
    "course": "B",
    "grade": "E",
}


def test_recording_a_result_writes_it_and_its_audit_row(cast):
    result = services.language_result_record(
        actor=cast.alice, enrollment=cast.enrollment_a, note="Nationellt prov", **SFI_B
    )
    assert (result.kind, result.study_path, result.course, result.grade, result.level) == (
        "sfi_course",
        2,
        "B",
        "E",
        2,
    )
    event = AccessEvent.objects.get(action=Action.CREATE, object_id=str(result.pk))
    assert event.part == Part.ASSESSMENTS
    assert event.enrollment_id == cast.enrollment_a.pk
    assert event.organisation_id == cast.partner_a.organisation.pk
    assert event.changes["course"] == [None, "B"]
    assert event.changes["note"] is None  # free text: named, never logged


def test_fields_of_another_kind_are_cleared(cast):
    result = services.language_result_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        kind="cefr",
        result_date=D1,
        source="teacher_assessment",
        study_path=2,
        course="B",
        grade="E",
        skill="reading",
        cefr_level="A2",
    )
    assert (result.study_path, result.course, result.grade) == (None, "", "")
    assert (result.skill, result.cefr_level, result.level) == ("reading", "A2", 2)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"study_path": 3, "course": "A"}, "course", "Course A is not part of study path 3"),
        ({"study_path": 2, "course": "A"}, "course", "Course A is not part of study path 2"),
        ({"study_path": None}, "study_path", "Choose the study path"),
        ({"course": ""}, "course", "Choose the SFI course"),
        ({"grade": "X"}, "grade", "Choose a grade"),
        ({"kind": "cefr", "skill": ""}, "skill", "Choose the skill"),
        ({"kind": "cefr", "skill": "reading", "cefr_level": "D9"}, "cefr_level", "CEFR level"),
        ({"source": "rumour"}, "source", "where the result comes from"),
        (
            {"result_date": timezone.localdate() + datetime.timedelta(days=1)},
            "result_date",
            "cannot be in the future",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_changes(cast, fields, field, message):
    data = {**SFI_B, **fields}
    with pytest.raises(ValidationError) as error:
        services.language_result_record(actor=cast.alice, enrollment=cast.enrollment_a, **data)
    assert message in " ".join(error.value.message_dict[field])
    assert not LanguageResult.objects.exists()
    assert not AccessEvent.objects.filter(action=Action.CREATE).exists()


def test_the_same_result_twice_is_refused(cast):
    services.language_result_record(actor=cast.alice, enrollment=cast.enrollment_a, **SFI_B)
    with pytest.raises(ValidationError, match="already recorded"):
        services.language_result_record(actor=cast.alice, enrollment=cast.enrollment_a, **SFI_B)
    assert LanguageResult.objects.count() == 1


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona"])
def test_other_organisations_cannot_record(cast, who):
    with pytest.raises(ValidationError, match="cannot record"):
        services.language_result_record(
            actor=getattr(cast, who), enrollment=cast.enrollment_a, **SFI_B
        )
    assert not LanguageResult.objects.exists()


def test_a_consent_covering_assessments_does_not_let_partner_b_write(cast, share):
    share(covers_assessments=True)
    with pytest.raises(ValidationError):
        services.language_result_record(actor=cast.bob, enrollment=cast.enrollment_a, **SFI_B)


def test_a_correction_updates_the_row_and_logs_old_and_new(cast):
    result = services.language_result_record(
        actor=cast.alice, enrollment=cast.enrollment_a, **SFI_B
    )
    changes = services.language_result_correct(
        actor=cast.anna, result=result, **{**SFI_B, "grade": "F", "result_date": D2}
    )
    assert changes == {"grade": ["E", "F"], "result_date": [D1.isoformat(), D2.isoformat()]}
    result.refresh_from_db()
    assert (result.grade, result.result_date, result.level) == ("F", D2, 1)
    event = AccessEvent.objects.get(action=Action.UPDATE, object_id=str(result.pk))
    assert event.actor == cast.anna and event.changes == changes
    # Nothing to change: no row.
    assert (
        services.language_result_correct(
            actor=cast.anna, result=result, **{**SFI_B, "grade": "F", "result_date": D2}
        )
        == {}
    )
    assert AccessEvent.objects.filter(action=Action.UPDATE).count() == 1


def test_deleting_a_result_recorded_by_mistake_keeps_its_codes_in_the_log(cast):
    result = services.language_result_record(
        actor=cast.alice, enrollment=cast.enrollment_a, note="fel person", **SFI_B
    )
    pk = result.pk
    services.language_result_delete(actor=cast.alice, result=result)
    assert not LanguageResult.objects.filter(pk=pk).exists()
    event = AccessEvent.objects.get(action=Action.DELETE, object_id=str(pk))
    assert event.changes["course"] == ["B", None]
    assert event.changes["grade"] == ["E", None]
    assert event.changes["note"] is None
    assert "fel person" not in str(event.changes)
