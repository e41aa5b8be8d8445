import datetime

from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent
from stegvis.consents.models import Consent

TODAY = timezone.localdate()


def post_consent(client, cast, **overrides):
    data = {
        "organisations": [cast.partner_b.organisation_id],
        "parts": ["plan"],
        "purpose": "Joint planning of the internship",
        "form": "written",
        "language": "ar",
        "interpreter_used": "on",
        "given_on": TODAY.isoformat(),
        "valid_from": TODAY.isoformat(),
        "valid_to": (TODAY + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return client.post(reverse("consents:create", args=[cast.enrollment_a.pk]), data)


def test_staff_record_a_consent_through_the_form(cast, client):
    client.force_login(cast.alice)
    response = post_consent(client, cast)
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert list(consent.organisations.all()) == [cast.partner_b.organisation]
    assert consent.parts == ["plan"]
    listing = client.get(reverse("consents:list", args=[cast.enrollment_a.pk]))
    assert "Beta folkhögskola" in listing.content.decode()


def test_a_consent_without_organisations_is_explained_and_not_saved(cast, client):
    client.force_login(cast.alice)
    response = post_consent(client, cast, organisations=[])
    assert response.status_code == 200
    assert response.context["form"].errors["organisations"]
    assert not Consent.objects.exists()


def test_naming_the_own_organisation_is_refused(cast, client):
    client.force_login(cast.alice)
    response = post_consent(client, cast, organisations=[cast.partner_a.organisation_id])
    assert response.status_code == 200
    assert "organisations" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_the_printed_form_is_in_swedish_and_the_participants_language(cast, client):
    client.force_login(cast.anna)
    post_consent(client, cast)
    consent = Consent.objects.get()
    response = client.get(reverse("consents:print", args=[cast.enrollment_a.pk, consent.pk]))
    content = response.content.decode()
    assert "Samtycke till att dela uppgifter" in content
    assert 'lang="ar" dir="rtl"' in content
    assert "موافقة على مشاركة المعلومات" in content
    assert "Beta folkhögskola" in content
    assert AccessEvent.objects.filter(action="print", object_id=str(consent.pk)).exists()
    somali = client.get(
        reverse("consents:print", args=[cast.enrollment_a.pk, consent.pk]), {"language": "so"}
    )
    assert "Oggolaansho in macluumaadka la wadaago" in somali.content.decode()


def test_withdrawing_through_the_form_ends_access_at_once(cast, client):
    client.force_login(cast.alice)
    post_consent(client, cast)
    consent = Consent.objects.get()
    plan_url = reverse("plans:detail", args=[cast.enrollment_a.pk])
    client.force_login(cast.bob)
    assert client.get(plan_url).status_code == 200
    client.force_login(cast.alice)
    response = client.post(
        reverse("consents:withdraw", args=[cast.enrollment_a.pk, consent.pk]),
        {"note": "told us by phone"},
    )
    assert response.status_code == 302
    client.force_login(cast.bob)
    assert client.get(plan_url).status_code == 404
    assert client.get(reverse("participants:shared")).context["page_obj"].paginator.count == 0


def test_who_has_seen_my_data_lists_consented_reads_in_plain_words(cast, client):
    client.force_login(cast.alice)
    post_consent(client, cast)
    client.force_login(cast.bob)
    assert client.get(reverse("plans:detail", args=[cast.enrollment_a.pk])).status_code == 200
    client.force_login(cast.anna)
    response = client.get(reverse("access:seen_by", args=[cast.enrollment_a.pk]))
    assert response.status_code == 200
    rows = [e for e in response.context["events"] if e.actor_id == cast.bob.pk]
    assert rows and rows[0].organisation == cast.partner_b.organisation
    assert rows[0].consent_id is not None
    content = response.content.decode()
    assert "ditt samtycke" in content
    assert "Bob Testsson" in content


def test_the_shared_list_shows_parts_and_end_date(cast, client):
    client.force_login(cast.alice)
    post_consent(client, cast, parts=["plan", "checkins"])
    client.force_login(cast.bea)
    response = client.get(reverse("participants:shared"))
    assert [e.pk for e in response.context["page_obj"]] == [cast.enrollment_a.pk]
    detail = client.get(reverse("participants:detail", args=[cast.enrollment_a.pk]))
    content = detail.content.decode()
    assert detail.status_code == 200
    # The overview, not the registry: no identity number, no edit link.
    assert cast.enrollment_a.participant.identity_number[:8] not in content
    assert reverse("participants:edit", args=[cast.enrollment_a.pk]) not in content
    assert reverse("plans:detail", args=[cast.enrollment_a.pk]) in content
    assert reverse("notes:list", args=[cast.enrollment_a.pk]) not in content
