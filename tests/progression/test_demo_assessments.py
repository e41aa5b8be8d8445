import datetime

from django.db import transaction
from django.db.models import Count

from stegvis.access.models import AccessEvent, Part
from stegvis.demo.generator import generate_demo
from stegvis.participants.models import Enrollment
from stegvis.progression.models import Assessment

TODAY = datetime.date(2026, 3, 16)


def _rows():
    return sorted(
        Assessment.objects.values_list(
            "enrollment__pseudonym",
            "version__instrument__code",
            "point",
            "date",
            "mode",
            "language",
        )
    )


def _generate_and_roll_back(seed):
    with transaction.atomic():
        generate_demo(seed=seed, today=TODAY, participants=120)
        rows = _rows()
        counts = {
            "enrollments": Enrollment.objects.count(),
            "unrated": Enrollment.objects.filter(assessments__isnull=True).count(),
            "one_rating": Enrollment.objects.annotate(n=Count("assessments")).filter(n=1).count(),
            "events": AccessEvent.objects.filter(
                part=Part.ASSESSMENTS, object_type="progression.assessment"
            ).count(),
        }
        transaction.set_rollback(True)
    return rows, counts


def test_demo_has_start_and_exit_ratings_with_some_rounds_missing(db):
    rows, counts = _generate_and_roll_back(7)
    points = {point for _p, _i, point, _d, _m, _l in rows}
    assert points == {"start", "follow_up", "exit"}
    assert {code for _p, code, *_rest in rows} == {"self-rating", "exit-questionnaire"}
    assert {mode for *_rest, mode, _l in rows} == {"self", "assisted"}
    assert 0 < counts["unrated"] < counts["enrollments"] / 3
    assert counts["one_rating"] > 0
    assert counts["events"] == len(rows)
    assert all(day <= TODAY for _p, _i, _pt, day, _m, _l in rows)
    # Deterministic from the seed.
    assert _generate_and_roll_back(7)[0] == rows
