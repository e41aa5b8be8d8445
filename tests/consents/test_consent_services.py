import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.access.models import AccessEvent, Part
from stegvis.access.policy import can_write, consent_used, enrollments_for, get_for_actor
from stegvis.consents import services
from stegvis.participants.models import Enrollment

TODAY = timezone.localdate()


def record(cast, *, parts=("plan",), takes_part=False, actor=None, **overrides):
    data = {
        "actor": actor or cast.alice,
        "enrollment": cast.enrollment_a,
        "organisations": [cast.partner_b.organisation],
        "parts": parts,
        "takes_part_in_plan": takes_part,
        "purpose": "Joint planning",
        "form": "written",
        "language": "ar",
        "interpreter_used": True,
        "given_on": TODAY,
        "valid_from": TODAY,
        "valid_to": TODAY + datetime.timedelta(days=180),
    }
    data.update(overrides)
    return services.consent_record(**data)


def bob_sees(cast, part):
    return enrollments_for(cast.bob, part=part).filter(pk=cast.enrollment_a.pk).exists()


def test_a_consent_shares_exactly_the_named_parts(cast):
    record(cast, parts=["plan", "checkins"])
    assert bob_sees(cast, Part.PLAN)
    assert bob_sees(cast, Part.CHECKINS)
    assert bob_sees(cast, Part.OVERVIEW)
    for part in (Part.MAPPING, Part.NOTES, Part.SENSITIVE, Part.ASSESSMENTS, Part.RECORD):
        assert not bob_sees(cast, part), part
    # Only organisations named in the consent.
    assert not enrollments_for(cast.otto, part=Part.PLAN).exists()


def test_withdrawal_ends_access_at_once(cast):
    consent = record(cast)
    assert bob_sees(cast, Part.PLAN)
    services.consent_withdraw(actor=cast.anna, consent=consent, note="said so on the phone")
    assert not bob_sees(cast, Part.PLAN)
    assert not bob_sees(cast, Part.OVERVIEW)
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=cast.anna, consent=consent)


def test_an_expired_or_future_consent_gives_nothing(cast):
    record(
        cast,
        given_on=TODAY - datetime.timedelta(days=400),
        valid_from=TODAY - datetime.timedelta(days=400),
        valid_to=TODAY - datetime.timedelta(days=1),
    )
    record(
        cast,
        valid_from=TODAY + datetime.timedelta(days=1),
        valid_to=TODAY + datetime.timedelta(days=30),
    )
    assert not bob_sees(cast, Part.PLAN)


def test_consented_organisations_read_but_write_only_a_plan_they_take_part_in(cast):
    record(cast, parts=["plan", "notes"])
    assert not can_write(cast.bob, cast.enrollment_a, Part.PLAN)
    assert not can_write(cast.bob, cast.enrollment_a, Part.NOTES)
    record(cast, parts=["plan"], takes_part=True)
    assert can_write(cast.bob, cast.enrollment_a, Part.PLAN)
    assert not can_write(cast.bob, cast.enrollment_a, Part.NOTES)
    assert can_write(cast.alice, cast.enrollment_a, Part.NOTES)


def test_a_shared_read_is_logged_with_the_consent_and_the_readers_organisation(cast):
    consent = record(cast)
    get_for_actor(Enrollment, actor=cast.bob, pk=cast.enrollment_a.pk, part=Part.PLAN)
    event = AccessEvent.objects.filter(action="view").get()
    assert event.consent_id == consent.pk
    assert event.organisation_id == cast.partner_b.organisation_id
    assert consent_used(cast.alice, cast.enrollment_a, Part.PLAN) is None


def test_only_the_own_organisation_records_and_withdraws(cast):
    with pytest.raises(ValidationError):
        record(cast, actor=cast.bob)
    consent = record(cast)
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=cast.bob, consent=consent)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisations": []}, "organisations"),
        ({"parts": []}, "parts"),
        ({"parts": ["plan"], "takes_part_in_plan": True, "organisations": None}, None),
        ({"valid_to": TODAY - datetime.timedelta(days=1)}, "valid_to"),
        ({"given_on": TODAY + datetime.timedelta(days=1)}, "given_on"),
        ({"parts": ["notes"], "takes_part_in_plan": True}, "takes_part_in_plan"),
    ],
)
def test_bad_consents_are_refused_with_a_reason(cast, overrides, field):
    if overrides.get("organisations", "") is None:
        overrides = {**overrides, "organisations": [cast.partner_a.organisation]}
        field = "organisations"
    with pytest.raises(ValidationError) as error:
        record(cast, **overrides)
    assert field in error.value.message_dict
    assert not cast.enrollment_a.consents.exists()


def test_recording_and_withdrawing_are_audit_logged(cast):
    consent = record(cast)
    services.consent_withdraw(actor=cast.alice, consent=consent)
    events = AccessEvent.objects.filter(object_type="consents.consent").order_by("pk")
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].changes["organisations"] == ["Beta folkhögskola"]


def test_can_read_follows_the_consent_parts(cast):
    from stegvis.access.policy import can_read

    assert can_read(cast.alice, cast.enrollment_a, Part.SENSITIVE)
    assert not can_read(cast.bob, cast.enrollment_a, Part.PLAN)
    record(cast, parts=["plan"])
    assert can_read(cast.bob, cast.enrollment_a, Part.PLAN)
    assert not can_read(cast.bob, cast.enrollment_a, Part.SENSITIVE)
    assert not can_read(cast.otto, cast.enrollment_a, Part.PLAN)
