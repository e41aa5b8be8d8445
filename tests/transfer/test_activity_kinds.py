# ruff: noqa: E501 - expected messages read best on one line each
"""Activity participation with ends, attendance and language results."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from stegvis.activities.models import Attendance, AttendanceBatch, Participation
from stegvis.languagelevels.models import LanguageResult
from stegvis.transfer import imports
from tests.transfer.test_imports import _activity, _commit, _plan, _problems

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    cast.enrollment_a.start_date = datetime.date(2024, 2, 1)
    cast.enrollment_a.save()
    cast.enrollment_a2.start_date = datetime.date(2024, 2, 1)
    cast.enrollment_a2.save()
    return _activity(cast)


def _csv(*lines):
    return "\r\n".join(lines).encode("cp1252")


def test_participation_with_an_end_is_added_and_ended_and_attendance_saved_per_session(cast, setup):
    one = cast.enrollment_a.participant.identity_number
    two = cast.enrollment_a2.participant.identity_number
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "aktivitetsdeltagande.csv",
            _csv(
                "Personnummer;Aktivitet;Startdatum;Slutdatum;Orsak till avslut",
                f"{one};Svenska för yrket;2024-03-11;;",
                f"{two};Svenska för yrket;2024-03-11;2024-03-12;Got a job",
            ),
        )
        archive.writestr(
            "närvaro.csv",
            _csv(
                "Personnummer;Aktivitet;Datum;Närvaro;Timmar",
                f"{one};Svenska för yrket;2024-03-12;Present;1,5",
                f"{two};Svenska för yrket;2024-03-12;Absent;",
                f"{one};Svenska för yrket;2024-03-13;present;",
            ),
        )
    plan = _commit(cast, buffer.getvalue())
    assert plan.counts() == {
        "participations": {"create": 2, "update": 0, "unchanged": 0},
        "attendance": {"create": 3, "update": 0, "unchanged": 0},
    }
    ended = Participation.objects.get(enrollment=cast.enrollment_a2)
    assert (ended.end_date, ended.end_reason) == (datetime.date(2024, 3, 12), "employment")
    marks = {
        (a.enrollment_id, a.session.date.day): (a.status, a.hours)
        for a in Attendance.objects.select_related("session")
    }
    assert marks == {
        (cast.enrollment_a.pk, 12): ("present", Decimal("1.50")),
        (cast.enrollment_a2.pk, 12): ("absent", Decimal("0.00")),
        (cast.enrollment_a.pk, 13): ("present", Decimal("2.50")),  # the session's hours
    }
    assert AttendanceBatch.objects.count() == 2  # one save per session
    again = _commit(cast, buffer.getvalue())
    assert all(c["create"] == c["update"] == 0 for c in again.counts().values())
    assert AttendanceBatch.objects.count() == 2


def test_attendance_problems(cast, setup):
    from stegvis.activities.services import participation_add

    one = cast.enrollment_a.participant.identity_number
    two = cast.enrollment_a2.participant.identity_number
    participation_add(
        actor=cast.anna,
        activity=setup,
        enrollment=cast.enrollment_a,
        start_date=datetime.date(2024, 3, 12),
    )
    setup.sessions.filter(date=datetime.date(2024, 3, 14)).update(cancelled=True)
    data = _csv(
        "Personnummer;Aktivitet;Datum;Närvaro;Timmar",
        f"{one};Svenska för yrket;2024-03-11;present;",
        f"{one};Svenska för yrket;2024-03-12;here;",
        f"{one};Svenska för yrket;2024-03-14;present;",
        f"{one};Svenska för yrket;2024-03-20;present;",
        f"{two};Svenska för yrket;2024-03-12;present;",
        f"{one};Svenska för yrket;2024-03-13;present;25",
    )
    assert _problems(_plan(cast, data)) == [
        (2, "Aktivitet", "Svenska för yrket", "The participant does not take part in this activity on this date."),
        (3, "Närvaro", "here", "Unknown value: write one of present, absent, excused, or its name."),
        (4, "Datum", "2024-03-14", "The session is cancelled: attendance is not registered."),
        (5, "Datum", "2024-03-20", "The activity has no session on this date; add it in Stegvis first."),
        (6, "Aktivitet", "Svenska för yrket", "The participant does not take part in this activity on this date."),
        (7, "Timmar", "25", "Hours must be between 0 and 24."),
    ]  # fmt: skip


def test_changing_a_mark_updates_it(cast, setup):
    from stegvis.activities.services import participation_add

    one = cast.enrollment_a.participant.identity_number
    participation_add(
        actor=cast.anna, activity=setup, enrollment=cast.enrollment_a,
        start_date=datetime.date(2024, 3, 11),
    )  # fmt: skip
    header = "Personnummer;Aktivitet;Datum;Närvaro"
    _commit(cast, _csv(header, f"{one};Svenska för yrket;2024-03-12;present"))
    plan = _commit(cast, _csv(header, f"{one};Svenska för yrket;2024-03-12;excused"))
    assert plan.counts() == {"attendance": {"create": 0, "update": 1, "unchanged": 0}}
    assert Attendance.objects.get().status == "excused"


def test_language_results_are_checked_by_the_language_rules(cast, setup):
    one = cast.enrollment_a.participant.identity_number
    data = _csv(
        "Personnummer;Typ av resultat;Datum;Studieväg;Kurs;Betyg;Färdighet;CEFR-nivå;Källa",
        f"{one};SFI course;2024-06-10;3;B;C;;;school_result",
        f"{one};cefr;2024-06-10;;;;reading;;teacher_assessment",
        f"{one};sfi_course;2024-06-10;2;B;C;;;school_result",
        f"{one};sfi_course;2024-06-10;2;B;C;;;School result (grade or national test)",
        f"{one};cefr;2024-06-11;;;;Reading;B1;teacher_assessment",
    )
    plan = _plan(cast, data)
    problems = _problems(plan)
    assert [p[:2] for p in problems] == [(2, "Kurs"), (3, "CEFR-nivå"), (5, "Datum")]
    assert "not part of study path 3" in problems[0][3]
    assert problems[2][3] == "The same result as on row 4."
    fixed = _csv(
        "Personnummer;Typ av resultat;Datum;Studieväg;Kurs;Betyg;Färdighet;CEFR-nivå;Källa",
        f"{one};sfi_course;2024-06-10;2;B;C;;;school_result",
        f"{one};cefr;2024-06-11;;;;reading;B1;teacher_assessment",
    )
    assert _commit(cast, fixed).counts() == {
        "language_results": {"create": 2, "update": 0, "unchanged": 0}
    }
    assert LanguageResult.objects.filter(enrollment=cast.enrollment_a).count() == 2
    assert _commit(cast, fixed).counts()["language_results"]["unchanged"] == 2


def test_unknown_kind_names_fall_back_to_headers(cast, setup):
    one = cast.enrollment_a.participant.identity_number
    data = _csv("Identity number;Kind of result;Date;Source;Skill;CEFR level",
                f"{one};cefr;2024-06-11;teacher_assessment;reading;A2")  # fmt: skip
    plan = imports.plan_import(actor=cast.anna, partner=cast.partner_a, data=data, filename="x")
    assert plan.problems == [] and plan.counts() == {
        "language_results": {"create": 1, "update": 0, "unchanged": 0}
    }
