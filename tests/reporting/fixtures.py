"""A small hand-computed programme for indicator tests (see ``world``'s docstring)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from stegvis.outcomes.models import Answer, Exit, ExitType, FollowUp, Occupation, months_after
from stegvis.participants.models import EnrollmentStatus
from stegvis.reporting.indicators import Period
from tests import factories as f

D = datetime.date
PERIOD = Period(D(2025, 1, 1), D(2025, 6, 30))


def leave(
    enrollment,
    day: datetime.date,
    reason: str,
    *,
    exit_type: str = ExitType.COMPLETED,
    recorded_by,
    follow_up: dict | None = None,
    **situation,
) -> Exit:
    """End an enrollment with an exit (and, for counted exits, its follow-up row)."""
    enrollment.end_date = day
    enrollment.status = EnrollmentStatus.EXITED
    enrollment.save(update_fields=["end_date", "status"])
    exit_ = Exit.objects.create(
        enrollment=enrollment,
        exit_date=day,
        exit_type=exit_type,
        reason=reason,
        recorded_by=recorded_by,
        **situation,
    )
    if exit_type != ExitType.ERRONEOUS:
        FollowUp.objects.create(
            enrollment=enrollment, due_date=months_after(day, 6), **(follow_up or {})
        )
    return exit_


@dataclass
class World:
    cast: object
    noor_first: object
    noor_second: object
    erik: object
    sam: object
    wrong: object
    old: object


@pytest.fixture
def world(cast) -> World:
    """Programme Broar (AMIF), period 2025-01-01..2025-06-30, by hand:

    Partner A
    - Layla (woman), active since 2025-02-01.
    - Hassan (man, born 2007-02-02: 17 on his start date), exits 2025-08-01 to work: after the
      period, so he is a participant of the period but not one of its exits.
    - Erik (man, Swedish: ineligible), exits 2025-03-01 "not eligible": excluded, shown apart.
    - Noor (woman) enrolled twice: 2025-01-10..2025-03-15 (moved away), again from 2025-04-01.
    - Sam (no citizenship recorded: eligibility unknown), active: excluded, shown apart.
    - Fel (man) registered by mistake: erroneous exit, removed from every count.
    - Olle (man) 2024-03-01..2024-12-01 (continued SFI): before the period.
    Partner B
    - Senait (woman), exits 2025-05-01 to SFI, occupation after "studies", in education;
      follow-up done: in employment yes, improved yes.
    Noor's first exit has no follow-up answers (open follow-up) and occupation after unknown.

    In the period: participants 4 persons (Layla, Hassan, Noor, Senait; 3 women, 1 man),
    1 ineligible, 1 unknown; exits 2 (Noor's first: moved; Senait: SFI), 1 ineligible exit.
    """
    c = cast
    user = c.alice
    c.enrollment_a2.participant.birth_date = D(2007, 2, 2)
    c.enrollment_a2.participant.save(update_fields=["birth_date"])
    leave(c.enrollment_a2, D(2025, 8, 1), "work.employment", recorded_by=user, in_employment=True)

    def enrol(first, partner=None, unit=None, start=None, **person):
        person.setdefault("gender", "man")
        return f.EnrollmentFactory(
            partner=partner or c.partner_a,
            unit=unit or c.unit_a,
            start_date=start or D(2025, 2, 1),
            participant=f.ParticipantFactory(first_name=first, last_name="Test", **person),
        )

    erik = enrol("Erik", citizenships=["SE"], country_of_birth="SE")
    leave(
        erik, D(2025, 3, 1), "admin.not_eligible", exit_type=ExitType.INTERRUPTED, recorded_by=user
    )
    noor_first = enrol("Noor", start=D(2025, 1, 10), gender="woman")
    leave(
        noor_first,
        D(2025, 3, 15),
        "personal.moved",
        exit_type=ExitType.INTERRUPTED,
        recorded_by=user,
    )
    noor_second = f.EnrollmentFactory(
        partner=c.partner_a,
        unit=c.unit_a,
        start_date=D(2025, 4, 1),
        participant=noor_first.participant,
    )
    sam = enrol("Sam", citizenships=[], gender="not_stated")
    wrong = enrol("Fel")
    leave(wrong, D(2025, 2, 2), "admin.other", exit_type=ExitType.ERRONEOUS, recorded_by=user)
    old = enrol("Olle", start=D(2024, 3, 1))
    leave(old, D(2024, 12, 1), "study.language", recorded_by=user)
    leave(
        c.enrollment_b,
        D(2025, 5, 1),
        "study.language",
        recorded_by=c.bob,
        in_education=True,
        occupation_after=Occupation.STUDIES,
    )
    follow_up = c.enrollment_b.follow_up
    follow_up.done_date = D(2025, 11, 2)
    follow_up.in_employment = Answer.YES
    follow_up.improved_situation = Answer.YES
    follow_up.recorded_at = follow_up.created_at
    follow_up.save()
    return World(c, noor_first, noor_second, erik, sam, wrong, old)
