# ruff: noqa: E501 - expected messages read best on one line each
"""Dry run, commit, re-import and update: through the services, with the access log."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stegvis.access.models import AccessEvent, Action
from stegvis.activities.models import Participation
from stegvis.outcomes.models import Exit, FollowUp
from stegvis.participants.models import Enrollment, EnrollmentStatus, Participant
from stegvis.transfer import imports
from stegvis.transfer.columns import KINDS
from stegvis.transfer.parsing import Table
from tests.transfer.conftest import HEADER, csv_file, person_row

pytestmark = pytest.mark.django_db


def _plan(cast, data, actor=None, partner=None):
    return imports.plan_import(
        actor=actor or cast.anna, partner=partner or cast.partner_a, data=data, filename="d.csv"
    )


def _commit(cast, data, actor=None, partner=None):
    return imports.import_commit(
        actor=actor or cast.anna, partner=partner or cast.partner_a, data=data, filename="d.csv"
    )


def _problems(plan):
    return [(p.row, p.column, p.value, p.message) for p in plan.problems]


def test_every_problem_is_listed_by_row_and_column_without_stopping(cast):
    other = cast.enrollment_b.participant
    data = csv_file(
        [
            person_row(1),
            ["19900101-0018", "", "Sara", "", "x", "Narnia", "Nope", "2020-01-01"],
            person_row(1),
            [other.identity_number, "", "Senait", "Tesfay", "kvinna", "ER", "Vuxenutbildningen", "2024-05-01"],
            person_row(5, start="5.13.2024"),
        ]
    )  # fmt: skip
    problems = _problems(_plan(cast, data))
    assert problems == [
        (3, "Efternamn", "", "This column is required."),
        (3, "Kön", "x", "Unknown value: write one of woman, man, other, not_stated, or its name."),
        (3, "Medborgarskap", "Narnia", "Unknown country: write a code such as SY or SYR, or the country's name."),
        (3, "Personnummer", "19900101-0018", "The check digit is wrong: check the last digit of the number."),
        (3, "Enhet", "Nope", "Unknown unit: write the name of one of your organisation's units."),
        (3, "Startdatum", "2020-01-01", "The start date must fall within the programme period 2024-01-01 – 2027-06-30."),
        (4, "Personnummer", person_row(1)[0], "The same person as on row 2."),
        (4, "Eget id", "X-1", "The same person as on row 2."),
        (5, "Personnummer", other.identity_number, "This person is already enrolled in Broar through Beta folkhögskola."),
        (6, "Startdatum", "5.13.2024", "There is no such date."),
    ]  # fmt: skip


def test_a_missing_required_column_is_reported_on_the_header_row(cast):
    header = [h for h in HEADER if h != "Kön"]
    row = person_row(1)
    del row[HEADER.index("Kön")]
    plan = _plan(cast, csv_file([row], header))
    assert _problems(plan) == [(1, "Kön", "", "This required column is missing.")]


def test_english_headers_and_comma_files_are_accepted(cast):
    header = ["Identity number", "External id", "First name", "Last name", "Gender",
              "Citizenships", "Unit", "Start date"]  # fmt: skip
    rows = [[c.replace(", ", " / ") for c in person_row(n)] for n in (1, 2)]
    plan = _plan(cast, csv_file(rows, header, sep=",", encoding="cp1252"))
    assert plan.problems == []
    assert plan.counts() == {"participants": {"create": 2, "update": 0, "unchanged": 0}}


def test_the_dry_run_changes_nothing(cast):
    before = (Participant.objects.count(), AccessEvent.objects.count())
    _plan(cast, csv_file([person_row(n) for n in range(1, 4)]))
    assert (Participant.objects.count(), AccessEvent.objects.count()) == before


def test_commit_enrols_everyone_through_the_service_with_one_audit_row_each(cast):
    events = AccessEvent.objects.count()
    _commit(cast, csv_file([person_row(n) for n in range(1, 4)]))
    created = Enrollment.objects.filter(partner=cast.partner_a, external_id__startswith="X-")
    assert created.count() == 3
    first = created.get(external_id="X-1").participant
    assert (first.first_name, first.gender, first.identity_kind) == (
        "Förnamn1",
        "woman",
        "personnummer",
    )
    assert sorted(c.code for c in created.get(external_id="X-3").participant.citizenships) == [
        "IQ",
        "SY",
    ]
    assert created.get(external_id="X-1").eligibility == "eligible"
    assert AccessEvent.objects.count() == events + 3
    assert set(AccessEvent.objects.filter(actor=cast.anna).values_list("action", flat=True)) == {
        Action.CREATE
    }  # fmt: skip


def test_reimporting_the_same_file_changes_nothing_and_logs_nothing(cast):
    data = csv_file([person_row(n) for n in range(1, 4)])
    _commit(cast, data)
    state = (Participant.objects.count(), Enrollment.objects.count(), AccessEvent.objects.count())
    plan = _commit(cast, data)
    assert plan.counts() == {"participants": {"create": 0, "update": 0, "unchanged": 3}}
    after = (Participant.objects.count(), Enrollment.objects.count(), AccessEvent.objects.count())
    assert after == state


def test_an_updated_file_updates_by_identity_number_and_by_external_id(cast):
    _commit(cast, csv_file([person_row(n) for n in range(1, 4)]))
    changed = person_row(1)
    changed[HEADER.index("Förnamn")] = "Amina"
    by_external = person_row(2)
    by_external[HEADER.index("Personnummer")] = ""
    by_external[HEADER.index("Efternamn")] = "Nyström"
    by_external[HEADER.index("Enhet")] = "Arbetsmarknadsenheten"
    events = AccessEvent.objects.count()
    plan = _commit(cast, csv_file([changed, by_external, person_row(3)]))
    assert plan.counts() == {"participants": {"create": 0, "update": 2, "unchanged": 1}}
    one = Enrollment.objects.get(external_id="X-1")
    two = Enrollment.objects.get(external_id="X-2")
    assert one.participant.first_name == "Amina"
    assert two.participant.last_name == "Nyström"
    assert two.participant.identity_number  # a blank number never removes one
    assert two.unit == cast.unit_a2
    assert Enrollment.objects.filter(external_id__startswith="X-").count() == 3
    updates = AccessEvent.objects.filter(pk__gt=0).order_by("-pk")[:2]
    assert AccessEvent.objects.count() == events + 2
    assert {tuple(sorted(e.changes)) for e in updates} == {("first_name",), ("last_name", "unit")}


def test_people_without_a_number_are_matched_by_name_and_birth_date(cast):
    header = ["Förnamn", "Efternamn", "Födelsedatum", "Kön", "Enhet", "Startdatum"]
    row = ["Mahmoud", "Ali", "1985-06-01", "man", "Vuxenutbildningen", "2024-04-01"]
    _commit(cast, csv_file([row], header))
    plan = _commit(cast, csv_file([row], header))
    assert plan.counts() == {"participants": {"create": 0, "update": 0, "unchanged": 1}}
    person = Participant.objects.get(last_name="Ali")
    assert (person.identity_kind, person.identity_number) == ("none", None)


def test_commit_is_all_or_nothing_when_the_file_has_problems(cast):
    state = (Participant.objects.count(), AccessEvent.objects.count())
    bad = person_row(3)
    bad[HEADER.index("Kön")] = "?"
    with pytest.raises(imports.ImportRefused) as refused:
        _commit(cast, csv_file([person_row(1), person_row(2), bad]))
    assert [p.row for p in refused.value.plan.problems] == [4]
    assert (Participant.objects.count(), AccessEvent.objects.count()) == state


def _state():
    return (
        Participant.objects.count(),
        Enrollment.objects.count(),
        AccessEvent.objects.count(),
        sorted(Participant.objects.values_list("first_name", flat=True)),
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_through_the_bulk_insert_leaves_the_database_as_it_was(
    cast, monkeypatch
):
    def killed(*args, **kwargs):
        raise SystemExit("killed")

    state = _state()
    # People are written first, then their enrollments: die in between.
    monkeypatch.setattr(Enrollment.objects, "bulk_create", killed)
    with pytest.raises(SystemExit):
        _commit(cast, csv_file([person_row(n) for n in range(1, 6)]))
    assert _state() == state


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_half_way_through_the_updates_leaves_the_database_as_it_was(
    cast, monkeypatch
):
    from stegvis.participants import services as participant_services

    _commit(cast, csv_file([person_row(n) for n in range(1, 6)]))
    state = _state()
    real = participant_services.participant_update
    calls = {"n": 0}

    def dies_on_the_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("killed")
        return real(**kwargs)

    monkeypatch.setattr(participant_services, "participant_update", dies_on_the_third)
    renamed = []
    for n in range(1, 6):
        row = person_row(n)
        row[HEADER.index("Förnamn")] = f"Nytt{n}"
        renamed.append(row)
    with pytest.raises(SystemExit):
        _commit(cast, csv_file(renamed))
    assert calls["n"] == 3
    assert _state() == state


def test_bulk_enrollment_writes_what_the_service_writes(cast):
    """Same rows as participant_enroll for a new person: compare one made each way."""
    from stegvis.participants.services import participant_enroll

    _commit(cast, csv_file([person_row(1)]))
    by_import = Enrollment.objects.get(external_id="X-1")
    by_service = participant_enroll(
        actor=cast.anna,
        person={"first_name": "A", "last_name": "B", "gender": "man", "identity_kind": "none",
                "birth_date": datetime.date(1990, 1, 1), "citizenships": ["SY", "IQ"]},
        partner=cast.partner_a,
        unit=cast.unit_a,
        start_date=datetime.date(2024, 3, 5),
    ).enrollment  # fmt: skip

    def audit(enrollment):
        event = AccessEvent.objects.get(enrollment_id=enrollment.pk)
        return (event.actor_id, event.organisation_id, event.action, event.part,
                event.participant_id == enrollment.participant_id, event.object_type,
                event.object_id == str(enrollment.pk), event.changes)  # fmt: skip

    assert audit(by_import) == audit(by_service)
    fields = ("programme_id", "partner_id", "unit_id", "status", "eligibility",
              "eligibility_reason", "created_by_id")  # fmt: skip
    assert [getattr(by_import, n) for n in fields] == [getattr(by_service, n) for n in fields]
    assert by_import.pseudonym.startswith("D-") and len(by_import.pseudonym) == 10
    assert by_import.participant.name_key == "fornamn1 efternamn1"


def test_exits_of_existing_and_new_participants(cast):
    old = cast.enrollment_a.participant
    exits = [
        "Personnummer;Eget id;Avslutsdatum;Typ av avslut;Avslutsorsak;I arbete",
        f"{old.identity_number};;2024-09-30;Slutförd;work.employment;ja",
        f"{person_row(1)[0]};;20241001;interrupted;Flyttat;nej",
    ]
    cast.enrollment_a.start_date = datetime.date(2024, 2, 1)
    cast.enrollment_a.save()
    people = csv_file([person_row(1)]).decode("utf-8-sig")
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("deltagare.csv", people)
        archive.writestr("avslut.csv", "\r\n".join(exits).encode("cp1252"))
    plan = _commit(cast, buffer.getvalue())
    assert plan.counts() == {
        "participants": {"create": 1, "update": 0, "unchanged": 0},
        "exits": {"create": 2, "update": 0, "unchanged": 0},
    }
    first = Exit.objects.get(enrollment=cast.enrollment_a)
    assert (first.exit_type, first.reason, first.in_employment) == (
        "completed",
        "work.employment",
        True,
    )
    second = Exit.objects.get(enrollment__external_id="X-1")
    assert (second.reason, second.exit_date) == ("personal.moved", datetime.date(2024, 10, 1))
    assert second.enrollment.status == EnrollmentStatus.EXITED
    assert FollowUp.objects.filter(enrollment__partner=cast.partner_a).count() == 2
    # Again: unchanged.
    plan = _commit(cast, buffer.getvalue())
    assert plan.counts()["exits"] == {"create": 0, "update": 0, "unchanged": 2}


def test_exit_problems(cast):
    cast.enrollment_a.start_date = datetime.date(2024, 5, 1)
    cast.enrollment_a.save()
    number = cast.enrollment_a.participant.identity_number
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    lines = [
        "Personnummer;Avslutsdatum;Typ av avslut;Avslutsorsak",
        f"{number};2024-04-01;completed;work.employment",
        f"{cast.enrollment_b.participant.identity_number};2024-06-01;completed;work.employment",
        f"{number};{future};completed;work.nonsense",
        f"{cast.enrollment_a2.participant.identity_number};{future};completed;work.employment",
    ]
    plan = _plan(cast, "\n".join(lines).encode())
    assert _problems(plan) == [
        (2, "Avslutsdatum", "2024-04-01", "The exit date cannot be before the start date 2024-05-01."),
        (3, "Personnummer", cast.enrollment_b.participant.identity_number, "No participant of yours has this identity number or id, in the file or in Stegvis."),
        (4, "Avslutsorsak", "work.nonsense", "Unknown exit reason: see the explanation sheet for the codes."),
        (5, "Avslutsdatum", future, "The exit date cannot be in the future."),
    ]  # fmt: skip


def _activity(cast, partner=None, unit=None, programme=None, by=None):
    """The activity "Svenska för yrket" from 2024-03-01, with sessions on 2024-03-11 to 15."""
    from decimal import Decimal

    from stegvis.activities.models import Activity, ActivityType, Session

    kind, _created = ActivityType.objects.get_or_create(
        programme=programme or cast.programme,
        name="Språk",
        defaults={"funder_category": "language_course"},
    )
    activity = Activity.objects.create(
        activity_type=kind,
        name="Svenska för yrket",
        partner=partner or cast.partner_a,
        unit=unit or cast.unit_a,
        start_date=datetime.date(2024, 3, 1),
        created_by=by or cast.anna,
        language="swedish",
    )
    Session.objects.bulk_create(
        Session(activity=activity, date=datetime.date(2024, 3, day), hours=Decimal("2.5"))
        for day in range(11, 16)
    )
    return activity


def test_activity_participation(cast):
    activity = _activity(cast)
    number = cast.enrollment_a.participant.identity_number
    cast.enrollment_a.start_date = datetime.date(2024, 2, 1)
    cast.enrollment_a.save()
    data = f"Personnummer;Aktivitet;Startdatum\n{number};svenska för yrket;2024-03-11\n{number};Okänd;2024-03-11\n".encode()
    assert _problems(_plan(cast, data)) == [
        (3, "Aktivitet", "Okänd", "Unknown activity: it must exist in Stegvis and be provided by your partner.")
    ]  # fmt: skip
    data = f"Personnummer;Aktivitet;Startdatum\n{number};svenska för yrket;2024-03-11\n".encode()
    _commit(cast, data)
    assert Participation.objects.get().activity == activity
    assert _plan(cast, data).counts() == {
        "participations": {"create": 0, "update": 0, "unchanged": 1}
    }


def test_only_coordinators_of_the_partner_may_import(cast):
    data = csv_file([person_row(1)])
    for actor, partner in (
        (cast.bea, cast.partner_a),
        (cast.alice, cast.partner_a),
        (cast.mona, cast.partner_a),
    ):
        with pytest.raises(PermissionDenied):
            _plan(cast, data, actor=actor, partner=partner)
        with pytest.raises(PermissionDenied):
            _commit(cast, data, actor=actor, partner=partner)


def test_the_dry_run_runs_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    few = csv_file([person_row(n) for n in range(1, 4)])
    many = csv_file([person_row(n) for n in range(1, 201)])
    with django_assert_max_num_queries(12):
        _plan(cast, few)
    with django_assert_max_num_queries(12):
        _plan(cast, many)


ANY_CELL = st.one_of(
    st.text(max_size=15),
    st.sampled_from(["", "ja", "SY", "man", "2024-03-05", "19900101-0017", "Vuxenutbildningen",
                     "Svenska för yrket", "present", "cefr", "A1", "2,5", "work.employment"]),
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(list(KINDS.values())),
    rows=st.lists(st.lists(ANY_CELL, min_size=0, max_size=12), min_size=1, max_size=6),
)
def test_any_cells_in_any_kind_give_problems_or_a_plan_never_an_exception(cast, kind, rows):
    table = Table(kind.sv, [column.sv for column in kind.columns], list(enumerate(rows, start=2)))
    plan = imports.plan_tables(actor=cast.anna, partner=cast.partner_a, tables=[table])
    assert all(problem.message for problem in plan.problems)
    assert len(plan.rows) <= len(rows)


def test_columns_left_out_leave_the_enrollment_as_it_is(cast):
    data = csv_file([[*person_row(1)[:-2], "Vuxenutbildningen", "2024-03-05"]])
    header_with_track = [*HEADER[:-1], "Spår", "Startdatum"]
    _commit(cast, csv_file([[*person_row(1)[:-1], "Jobbspår", "2024-03-05"]], header_with_track))
    enrollment = Enrollment.objects.get(external_id="X-1")
    assert (enrollment.track, enrollment.unit) == (cast.track, cast.unit_a)
    # No track column: the track stays. No unit column: the unit stays.
    assert _plan(cast, data).counts()["participants"]["unchanged"] == 1
    without_unit = [h for h in HEADER if h != "Enhet"]
    row = [c for h, c in zip(HEADER, person_row(1), strict=True) if h != "Enhet"]
    plan = _commit(cast, csv_file([row], without_unit))
    assert plan.problems == [] and plan.counts()["participants"]["unchanged"] == 1
    # A new person without a unit column, in an organisation with two units: required.
    new = [c for h, c in zip(HEADER, person_row(2), strict=True) if h != "Enhet"]
    assert _problems(_plan(cast, csv_file([new], without_unit))) == [
        (2, "Enhet", "", "This column is required.")
    ]
