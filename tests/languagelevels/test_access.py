"""Partner B (and every other outsider) gets 404 on partner A's language pages, GET and
POST, with a real result id of A's, and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stegvis.access.models import AccessEvent
from stegvis.languagelevels.models import LanguageResult

from .helpers import D1, sfi
from .test_views import POST

OUTSIDERS = ["bob", "bea", "otto", "mona", "axel", "amir"]


def _urls(cast, result):
    pk = cast.enrollment_a.pk
    return [
        reverse("languagelevels:history", args=[pk]),
        reverse("languagelevels:record", args=[pk]),
        reverse("languagelevels:correct", args=[pk, result.pk]),
        reverse("languagelevels:delete", args=[pk, result.pk]),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_404_and_change_nothing(cast, client, who):
    result = sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    client.force_login(getattr(cast, who))
    events = AccessEvent.objects.count()
    for url in _urls(cast, result):
        assert client.get(url).status_code == 404, url
        response = client.post(url, {**POST, "grade": "F"})
        assert response.status_code == 404, url
        assert b"Karimi" not in response.content
    result.refresh_from_db()
    assert result.grade == "E"
    assert LanguageResult.objects.count() == 1
    assert AccessEvent.objects.count() == events  # no reads or writes were logged


def test_amir_is_staff_of_another_unit_of_a_and_sees_nothing(cast, client):
    # The own-organisation rule is per unit for staff: amir works at A's AME unit.
    result = sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    client.force_login(cast.amir)
    assert client.get(_urls(cast, result)[0]).status_code == 404


def test_a_consent_covering_assessments_lets_partner_b_read_but_not_write(cast, client, share):
    result = sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    consent = share(covers_assessments=True)
    client.force_login(cast.bob)
    history, record, correct, delete = _urls(cast, result)
    shared_page = client.get(reverse("participants:detail", args=[cast.enrollment_a.pk]))
    assert f'href="{history}"'.encode() in shared_page.content
    response = client.get(history)
    assert response.status_code == 200
    assert b"SFI B" in response.content
    assert b"Record a language result" not in response.content
    event = AccessEvent.objects.filter(actor=cast.bob).latest("pk")
    assert event.consent_id == consent.pk
    for url in (record, correct, delete):
        assert client.get(url).status_code == 404
        assert client.post(url, POST).status_code == 404
    assert LanguageResult.objects.get().grade == "E"


def test_a_consent_for_other_parts_does_not_open_the_language_page(cast, client, share):
    sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    share(covers_plan=True)
    client.force_login(cast.bob)
    url = reverse("languagelevels:history", args=[cast.enrollment_a.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["correct", "delete"])
def test_someone_elses_result_and_a_missing_one_look_the_same(cast, client, name):
    result = sfi(cast.enrollment_a, cast.alice, D1, 2, "B", "E")
    own = sfi(cast.enrollment_b, cast.bob, D1, 2, "B", "E")
    client.force_login(cast.bob)
    pk = cast.enrollment_b.pk
    not_yours = client.get(reverse(f"languagelevels:{name}", args=[pk, result.pk]))
    missing = client.get(reverse(f"languagelevels:{name}", args=[pk, 999999]))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content
    assert client.get(reverse(f"languagelevels:{name}", args=[pk, own.pk])).status_code == 200
