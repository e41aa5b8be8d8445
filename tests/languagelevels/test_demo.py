import datetime

import pytest
from django.db import transaction

from stegvis.access.models import AccessEvent, Part
from stegvis.demo.generator import generate_demo
from stegvis.languagelevels.models import LanguageResult
from stegvis.languagelevels.selectors import improved_one_level_counts
from stegvis.participants.models import Enrollment

TODAY = datetime.date(2026, 3, 16)


def _rows():
    return sorted(
        LanguageResult.objects.values_list(
            "enrollment__pseudonym",
            "kind",
            "result_date",
            "study_path",
            "course",
            "grade",
            "skill",
            "cefr_level",
            "source",
        )
    )


@pytest.mark.django_db
def test_most_demo_participants_have_language_results_that_make_sense():
    generate_demo(seed=7, today=TODAY, participants=200)
    enrollments = Enrollment.objects.all()
    counts = improved_one_level_counts(enrollments)
    total = enrollments.count()
    # Most have results; some have only the placement (missing follow-up), some none.
    assert 0.6 * total <= counts["population"] - counts["without_results"] <= 0.8 * total
    assert counts["missing_followup"] - counts["without_results"] > 0
    assert 0.3 < counts["improved"] / counts["with_two_results"] < 0.95
    assert LanguageResult.objects.filter(kind="cefr").exists()
    assert LanguageResult.objects.filter(kind="sas").exists()
    assert LanguageResult.objects.filter(grade="F").exists()
    assert not LanguageResult.objects.filter(result_date__gt=TODAY).exists()
    # Each result has the audit row the service would have written.
    assert (
        AccessEvent.objects.filter(
            object_type="languagelevels.languageresult", part=Part.ASSESSMENTS
        ).count()
        == LanguageResult.objects.count()
    )


@pytest.mark.django_db
def test_the_demo_language_results_are_deterministic():
    def generate(seed):
        with transaction.atomic():
            generate_demo(seed=seed, today=TODAY, participants=60)
            rows = _rows()
            transaction.set_rollback(True)
        return rows

    first = generate(3)
    assert first and first == generate(3)
    assert first != generate(4)
