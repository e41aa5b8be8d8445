from __future__ import annotations

import pytest
from django.urls import reverse

from stegvis.access.models import AccessEvent, Action, Part
from stegvis.languagelevels.models import LanguageResult

from .helpers import D1, D2, D3, cefr, sfi

POST = {
    "kind": "sfi_course",
    "result_date": "2025-06-01",
    "source": "school_result",
    "study_path": "2",
    "course": "B",
    "grade": "D",
    "skill": "",
    "cefr_level": "",
    "note": "",
}


def history_url(enrollment):
    return reverse("languagelevels:history", args=[enrollment.pk])


def record_url(enrollment):
    return reverse("languagelevels:record", args=[enrollment.pk])


def test_the_participant_page_has_the_section_and_the_form(cast, client):
    sfi(cast.enrollment_a, cast.alice, D1, 2, "B")
    sfi(cast.enrollment_a, cast.alice, D2, 2, "B", "C")
    client.force_login(cast.alice)
    response = client.get(reverse("participants:detail", args=[cast.enrollment_a.pk]))
    content = response.content.decode()
    assert "Language levels" in content
    assert "SFI A at entry, SFI B now" in content
    assert "improved by at least one level" in content
    assert f'action="{record_url(cast.enrollment_a)}"' in content


def test_posting_from_the_participant_page_records_and_returns_there(cast, client):
    client.force_login(cast.alice)
    detail = reverse("participants:detail", args=[cast.enrollment_a.pk])
    response = client.post(record_url(cast.enrollment_a), {**POST, "next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    result = LanguageResult.objects.get(enrollment=cast.enrollment_a)
    assert (result.course, result.grade, result.recorded_by) == ("B", "D", cast.alice)
    assert AccessEvent.objects.filter(
        action=Action.CREATE, part=Part.ASSESSMENTS, object_id=str(result.pk)
    ).exists()


def test_an_outside_next_is_not_followed(cast, client):
    client.force_login(cast.alice)
    response = client.post(record_url(cast.enrollment_a), {**POST, "next": "https://evil.example/"})
    assert response["Location"] == history_url(cast.enrollment_a)


def test_a_course_outside_the_study_path_is_explained_and_nothing_saved(cast, client):
    client.force_login(cast.alice)
    response = client.post(
        record_url(cast.enrollment_a), {**POST, "study_path": "3", "course": "A"}
    )
    assert response.status_code == 200
    assert "Course A is not part of study path 3" in response.content.decode()
    assert not LanguageResult.objects.exists()


def test_grade_f_is_recorded_with_a_note_that_it_is_not_passed(cast, client):
    client.force_login(cast.alice)
    response = client.post(record_url(cast.enrollment_a), {**POST, "grade": "F"}, follow=True)
    assert "Grade F is not passed: course B does not count as a level reached." in (
        response.content.decode()
    )


def test_the_history_page_shows_the_chart_and_the_numbers(cast, client):
    e = cast.enrollment_a
    sfi(e, cast.alice, D1, 1, "A")
    sfi(e, cast.alice, D2, 1, "A", "E")
    cefr(e, cast.alice, D1, "reading", "A1")
    client.force_login(cast.alice)
    response = client.get(history_url(e))
    content = response.content.decode()
    assert content.count('<svg role="img"') == 2  # Swedish scale and reading
    assert "Before SFI A at entry, SFI A now" in content
    assert "Pre-A1" in content  # the CEFR chart's scale
    assert "<caption>All language results, oldest first</caption>" in content
    assert AccessEvent.objects.filter(
        actor=cast.alice, action=Action.VIEW, part=Part.ASSESSMENTS, enrollment_id=e.pk
    ).exists()


@pytest.mark.parametrize("results", [1, 12])
def test_the_history_page_runs_the_same_queries_for_few_and_many_results(
    cast, client, django_assert_num_queries, results
):
    e = cast.enrollment_a
    for i in range(results):
        sfi(e, cast.alice, D1.replace(day=1 + i), 1, "ABCD"[i % 4], "E")
        cefr(e, cast.alice, D1.replace(day=1 + i), "writing", "A2")
    client.force_login(cast.alice)
    client.get(history_url(e))  # warm the session and the scope
    # session, user, memberships (scope), enrollment, access log row, results
    with django_assert_num_queries(6):
        response = client.get(history_url(e))
    assert response.status_code == 200


def test_correcting_a_result(cast, client):
    result = sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    client.force_login(cast.alice)
    url = reverse("languagelevels:correct", args=[cast.enrollment_a.pk, result.pk])
    assert 'value="B" selected' in client.get(url).content.decode()
    response = client.post(url, {**POST, "result_date": "2025-03-01", "grade": "A"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.grade == "A"
    event = AccessEvent.objects.get(action=Action.UPDATE, object_id=str(result.pk))
    assert event.changes == {"grade": ["E", "A"]}


def test_deleting_a_result_asks_first(cast, client):
    result = sfi(cast.enrollment_a, cast.alice, D3, 2, "C", "E")
    client.force_login(cast.anna)
    url = reverse("languagelevels:delete", args=[cast.enrollment_a.pk, result.pk])
    assert "recorded by mistake" in client.get(url).content.decode()
    assert LanguageResult.objects.filter(pk=result.pk).exists()
    client.post(url)
    assert not LanguageResult.objects.filter(pk=result.pk).exists()
    assert AccessEvent.objects.filter(action=Action.DELETE, object_id=str(result.pk)).exists()


def test_a_result_is_only_reached_under_its_own_enrollment(cast, client):
    result = sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    client.force_login(cast.anna)  # coordinator of A: sees both of A's enrollments
    url = reverse("languagelevels:correct", args=[cast.enrollment_a2.pk, result.pk])
    assert client.get(url).status_code == 404
