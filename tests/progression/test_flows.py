"""The question flows through the client: staff-assisted in Swedish, self-service in Arabic."""

import re

import pytest
from django.urls import reverse

from stegvis.access.models import AccessEvent
from stegvis.progression import services
from stegvis.progression.models import Assessment


def answer(client, url, value, follow=False):
    return client.post(url, {"answer": value}, follow=follow)


def test_staff_rate_together_in_swedish(cast, client, self_rating):
    client.force_login(cast.alice)
    enrollment = cast.enrollment_a
    response = client.post(
        reverse("progression:assisted_start", args=[enrollment.pk]),
        {"version": self_rating.pk, "point": "start", "language": "sv", "interpreter_used": "on"},
    )
    first = reverse("progression:assisted_question", args=[enrollment.pk, 1])
    assert response["Location"] == first
    page = client.get(first)
    assert 'lang="sv" dir="ltr"' in page.content.decode()
    assert "Hur bra kan du svenska?" in page.content.decode()
    assert "Fråga 1 av 3" in page.content.decode()
    # No answer chosen: a message, and nothing kept.
    response = client.post(first, {})
    assert "Välj ett svar" in response.content.decode()
    answer(client, first, "4")
    answer(client, reverse("progression:assisted_question", args=[enrollment.pk, 2]), "skip")
    response = answer(
        client, reverse("progression:assisted_question", args=[enrollment.pk, 3]), "10"
    )
    review = reverse("progression:assisted_review", args=[enrollment.pk])
    assert response["Location"] == review
    page = client.get(review).content.decode()
    assert "Inget svar" in page and "10 Mycket goda" in page
    assert not Assessment.objects.exists()
    response = client.post(review)
    assert response["Location"] == reverse("progression:assessments", args=[enrollment.pk])
    assessment = Assessment.objects.get()
    assert (assessment.assisted_by, assessment.interpreter_used, assessment.language) == (
        cast.alice,
        True,
        "sv",
    )
    assert dict(assessment.answers.values_list("item__code", "value")) == {
        "swedish": 4,
        "society": None,
        "future-work": 10,
    }
    page = client.get(reverse("progression:assessments", args=[enrollment.pk])).content.decode()
    assert 'role="img"' in page and "<table>" in page


def test_going_back_keeps_the_answer(cast, client, self_rating):
    client.force_login(cast.alice)
    pk = cast.enrollment_a.pk
    client.post(
        reverse("progression:assisted_start", args=[pk]),
        {"version": self_rating.pk, "point": "start", "language": "en"},
    )
    answer(client, reverse("progression:assisted_question", args=[pk, 1]), "6")
    response = client.post(reverse("progression:assisted_question", args=[pk, 2]), {"back": "1"})
    assert response["Location"] == reverse("progression:assisted_question", args=[pk, 1])
    page = client.get(response["Location"]).content.decode()
    assert re.search(r'value="6"\s+checked', page)


def test_participant_answers_once_in_arabic_on_a_one_time_link(cast, client, self_rating):
    link, token = services.link_create(
        actor=cast.alice, enrollment=cast.enrollment_a, version=self_rating, point="start"
    )
    open_url = reverse("selfservice:open", args=[token])
    response = client.get(open_url)
    assert response["Location"] == reverse("selfservice:language")
    page = client.get(response["Location"]).content.decode()
    assert "Karimi" not in page and "Layla" not in page
    assert 'lang="ar" dir="rtl"' in page
    response = client.post(reverse("selfservice:language"), {"language": "ar"})
    first = client.get(response["Location"]).content.decode()
    assert '<html lang="ar" dir="rtl">' in first
    assert "ما مدى إتقانك للغة السويدية؟" in first
    assert "السؤال 1 من 3" in first
    answer(client, reverse("selfservice:question", args=[1]), "3")
    answer(client, reverse("selfservice:question", args=[2]), "5")
    response = answer(client, reverse("selfservice:question", args=[3]), "8")
    assert response["Location"] == reverse("selfservice:review")
    response = client.post(reverse("selfservice:review"))
    assert response["Location"] == reverse("selfservice:thanks")
    assert "شكراً" in client.get(response["Location"]).content.decode()
    assessment = Assessment.objects.get()
    assert (assessment.mode, assessment.language, assessment.enrollment) == (
        "self",
        "ar",
        cast.enrollment_a,
    )
    # Used: the same link again, in this browser or another, shows a kind message only.
    for fresh in (client, client.__class__()):
        again = fresh.get(open_url)
        assert again.status_code == 410
        assert "Ask your contact person for a new link" in again.content.decode()
    assert client.post(reverse("selfservice:review")).status_code == 410
    assert Assessment.objects.count() == 1


def test_a_submitted_link_cannot_be_submitted_from_a_second_session(cast, client, self_rating):
    _link, token = services.link_create(
        actor=cast.alice, enrollment=cast.enrollment_a, version=self_rating, point="start"
    )
    other = client.__class__()
    for browser in (client, other):
        browser.get(reverse("selfservice:open", args=[token]))
        browser.post(reverse("selfservice:language"), {"language": "sv"})
        answer(browser, reverse("selfservice:question", args=[1]), "3")
    assert client.post(reverse("selfservice:review")).status_code == 302
    assert other.post(reverse("selfservice:review")).status_code == 410
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("token", ["nonsense", "x" * 32, "a" * 300])
def test_an_unknown_link_looks_like_a_used_one(db, client, token):
    response = client.get(reverse("selfservice:open", args=[token]))
    assert response.status_code == 410
    assert reverse("selfservice:language") not in response.get("Location", "")


def test_question_pages_without_an_open_link_accept_nothing(db, client):
    assert client.get(reverse("selfservice:question", args=[1])).status_code == 410
    assert client.post(reverse("selfservice:review")).status_code == 410
    assert client.get(reverse("selfservice:thanks")).status_code == 410


def test_staff_create_a_link_with_a_printable_qr_code(cast, client, self_rating):
    client.force_login(cast.alice)
    url = reverse("progression:link_create", args=[cast.enrollment_a.pk])
    response = client.post(url, {"version": self_rating.pk, "point": "start", "valid_days": 3})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page
    token = re.search(r"/s/([\w-]+)/", page).group(1)
    assert services.link_for_token(token).enrollment == cast.enrollment_a
    assert AccessEvent.objects.filter(object_type="progression.selfservicelink").count() == 1


def test_a_consented_organisation_reads_assessments_but_cannot_rate(
    cast, client, share, self_rating, rate
):
    rate(
        cast.enrollment_a, self_rating, "2025-03-01", {"swedish": 2, "society": 3, "future-work": 4}
    )
    share(covers_assessments=True)
    client.force_login(cast.bob)
    assert (
        client.get(reverse("progression:assessments", args=[cast.enrollment_a.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("progression:assisted_start", args=[cast.enrollment_a.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("progression:link_create", args=[cast.enrollment_a.pk])).status_code
        == 404
    )


def test_the_participant_page_lists_assessments(cast, client, self_rating, rate):
    assessment = rate(cast.enrollment_a, self_rating, "2025-03-01", {"swedish": 2})
    client.force_login(cast.alice)
    page = client.get(reverse("participants:detail", args=[cast.enrollment_a.pk])).content.decode()
    assert reverse("progression:assessment", args=[cast.enrollment_a.pk, assessment.pk]) in page
