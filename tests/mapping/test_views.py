from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent
from stegvis.mapping import services
from stegvis.mapping.models import Mapping, SensitiveCircumstances
from tests.mapping.test_services import complete, content

URL_NAMES = ["mapping:detail", "mapping:edit", "mapping:sensitive", "mapping:version"]


def urls_for(enrollment, mapping_id):
    return {
        "mapping:detail": reverse("mapping:detail", args=[enrollment.pk]),
        "mapping:edit": reverse("mapping:edit", args=[enrollment.pk]),
        "mapping:sensitive": reverse("mapping:sensitive", args=[enrollment.pk]),
        "mapping:version": reverse("mapping:version", args=[enrollment.pk, mapping_id]),
    }


def form_data(form):
    """What a browser would send back for an unbound form as rendered."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        data[form.add_prefix(name)] = "on" if value is True else value
    return data


def page_data(response, action="draft"):
    context = response.context
    data = form_data(context["form"])
    for formset in context["formsets"].values():
        data.update(form_data(formset.management_form))
        for form in formset:
            data.update(form_data(form))
    data["action"] = action
    return data


def sensitive(cast, health="Diabetes type 2"):
    return services.sensitive_circumstances_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        health=health,
        family_situation="Lives alone with three children",
        other="",
    )


class TestOwnStaff:
    def test_start_save_a_draft_and_complete_a_mapping(self, cast, client):
        client.force_login(cast.alice)
        detail = client.get(reverse("mapping:detail", args=[cast.enrollment_a.pk]))
        assert detail.status_code == 200
        assert "Start the mapping" in detail.content.decode()

        url = reverse("mapping:edit", args=[cast.enrollment_a.pk])
        data = page_data(client.get(url))
        data.update(
            {
                "years_of_schooling": "9",
                "languages-TOTAL_FORMS": "1",
                "languages-0-language": "ar",
                "languages-0-level": "native",
                "qualifications-0-title": "Nursing diploma",
                "qualifications-0-kind": "vocational",
                "qualifications-0-recognition_applied": "yes",
                "qualifications-0-recognition_applied_on": "2025-02-01",
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == url
        draft = Mapping.objects.get()
        assert draft.status == "draft" and draft.years_of_schooling == 9
        assert draft.qualifications.get().recognition_applied == "yes"

        # Completing without the essentials explains what is missing and keeps the draft.
        response = client.post(url, page_data(client.get(url), action="complete"))
        assert response.status_code == 200
        assert response.context["form"].errors["goals"]
        assert Mapping.objects.get().status == "draft"

        data = page_data(client.get(url), action="complete")
        data.update(
            {
                "literacy_mother_tongue": "good",
                "literacy_latin_script": "basic",
                "driving_licence": "none",
                "digital_skills": "basic",
                "goals": "Work as an assistant nurse",
            }
        )
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"] == reverse("mapping:detail", args=[cast.enrollment_a.pk])
        mapping = Mapping.objects.get()
        assert mapping.status == "completed"
        assert [r.language for r in mapping.languages.all()] == ["ar"]
        assert mapping.qualifications.get().title == "Nursing diploma"

        content_ = client.get(response["Location"]).content.decode()
        assert "Work as an assistant nurse" in content_
        assert "Start a new mapping" in content_

    def test_a_new_mapping_is_prefilled_and_the_old_one_stays_readable(self, cast, client):
        first = complete(cast)
        client.force_login(cast.alice)
        url = reverse("mapping:edit", args=[cast.enrollment_a.pk])
        page = client.get(url)
        assert page.context["based_on"] == first
        data = page_data(page, action="draft")
        assert data["goals"] == "Work as an assistant nurse"
        assert data["languages-1-language"] == "sv"
        data["languages-1-level"] = "good"
        assert client.post(url, data).status_code == 302
        draft = Mapping.objects.get(status="draft")
        # Rows kept as they were are copied, not dropped as untouched.
        assert [(r.language, r.level) for r in draft.languages.all()] == [
            ("ar", "native"),
            ("sv", "good"),
        ]
        assert draft.work_experience.get().occupation == "Tailor"
        assert draft.qualifications.get().recognition_applied == "yes"

        # Removing a row of the draft.
        data = page_data(client.get(url))
        data["work_experience-0-DELETE"] = "on"
        assert client.post(url, data).status_code == 302
        assert not draft.work_experience.exists()

        old = client.get(reverse("mapping:version", args=[cast.enrollment_a.pk, first.pk]))
        assert old.status_code == 200
        assert old.context["is_current"]
        text = old.content.decode()
        assert "Tailor" in text
        draft_page = client.get(reverse("mapping:version", args=[cast.enrollment_a.pk, draft.pk]))
        assert "This is a draft" in draft_page.content.decode()

    def test_a_version_of_another_enrollment_is_not_found(self, cast, client):
        other = services.mapping_save(
            actor=cast.amir,
            enrollment=cast.enrollment_a2,
            draft=None,
            content=content(),
            complete=True,
        )
        client.force_login(cast.anna)  # coordinator: sees both enrollments
        url = reverse("mapping:version", args=[cast.enrollment_a.pk, other.pk])
        assert client.get(url).status_code == 404

    def test_reads_are_logged(self, cast, client):
        mapping = complete(cast)
        client.force_login(cast.alice)
        client.get(reverse("mapping:detail", args=[cast.enrollment_a.pk]))
        client.get(reverse("mapping:version", args=[cast.enrollment_a.pk, mapping.pk]))
        events = list(AccessEvent.objects.filter(action="view").order_by("pk"))
        assert [(e.part, e.object_type) for e in events] == [
            ("mapping", "participants.enrollment"),
            ("mapping", "mapping.mapping"),
        ]
        assert all(e.consent_id is None for e in events)

    def test_the_sensitive_part_is_on_its_own_page_only(self, cast, client):
        complete(cast)
        client.force_login(cast.alice)
        url = reverse("mapping:sensitive", args=[cast.enrollment_a.pk])
        response = client.post(
            url, {"health": "Diabetes type 2", "family_situation": "", "other": ""}
        )
        assert response.status_code == 302
        response = client.post(
            url, {"health": "Diabetes type 2, needs breaks", "family_situation": "", "other": ""}
        )
        assert SensitiveCircumstances.objects.count() == 2
        page = client.get(url).content.decode()
        assert "needs breaks" in page
        assert "Earlier versions" in page

        detail = client.get(reverse("mapping:detail", args=[cast.enrollment_a.pk]))
        assert "Diabetes" not in detail.content.decode()
        assert url in detail.content.decode()
        sensitive_events = AccessEvent.objects.filter(part="sensitive")
        assert set(sensitive_events.values_list("action", flat=True)) == {
            "create",
            "update",
            "view",
        }
        assert "Diabetes" not in str(list(sensitive_events.values_list("changes", flat=True)))

    def test_coordinators_of_the_partner_can_do_everything(self, cast, client):
        client.force_login(cast.anna)
        mapping = complete(cast)
        for url in urls_for(cast.enrollment_a, mapping.pk).values():
            assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona", "axel"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_without_consent_every_page_is_not_found(cast, client, who, method):
    mapping = complete(cast)
    sensitive(cast)
    client.force_login(getattr(cast, who))
    for name, url in urls_for(cast.enrollment_a, mapping.pk).items():
        response = getattr(client, method)(url)
        assert response.status_code == 404, name
        assert b"Karimi" not in response.content
    assert Mapping.objects.count() == 1
    assert not AccessEvent.objects.filter(actor=getattr(cast, who)).exists()


class TestSharedByConsent:
    def test_a_consent_for_the_mapping_lets_bob_read_it(self, cast, client, share):
        mapping = complete(cast)
        sensitive(cast)
        consent = share(covers_mapping=True)
        client.force_login(cast.bob)
        urls = urls_for(cast.enrollment_a, mapping.pk)
        detail = client.get(urls["mapping:detail"])
        assert detail.status_code == 200
        text = detail.content.decode()
        assert "Work as an assistant nurse" in text
        assert "Diabetes" not in text
        assert urls["mapping:sensitive"] not in text
        assert urls["mapping:edit"] not in text
        assert client.get(urls["mapping:version"]).status_code == 200
        event = AccessEvent.objects.filter(actor=cast.bob).first()
        assert event.consent_id == consent.pk
        assert event.organisation_id == cast.partner_b.organisation_id

    def test_bob_cannot_edit_or_read_the_sensitive_part(self, cast, client, share):
        mapping = complete(cast)
        sensitive(cast)
        share(covers_mapping=True)
        client.force_login(cast.bob)
        urls = urls_for(cast.enrollment_a, mapping.pk)
        for name in ("mapping:edit", "mapping:sensitive"):
            assert client.get(urls[name]).status_code == 404, name
            assert client.post(urls[name], {"health": "x"}).status_code == 404, name
        assert not Mapping.objects.filter(status="draft").exists()
        assert SensitiveCircumstances.objects.count() == 1

    def test_drafts_stay_with_the_owner(self, cast, client, share):
        first = complete(cast)
        draft = services.mapping_save(
            actor=cast.alice,
            enrollment=cast.enrollment_a,
            draft=None,
            content=content(goals="A draft goal"),
        )
        share(covers_mapping=True)
        client.force_login(cast.bob)
        detail = client.get(reverse("mapping:detail", args=[cast.enrollment_a.pk]))
        assert [m.pk for m in detail.context["page_obj"]] == [first.pk]
        assert "A draft goal" not in detail.content.decode()
        url = reverse("mapping:version", args=[cast.enrollment_a.pk, draft.pk])
        assert client.get(url).status_code == 404

    def test_a_consent_covering_the_sensitive_part_lets_bob_read_it(self, cast, client, share):
        mapping = complete(cast)
        sensitive(cast)
        consent = share(covers_mapping=True, covers_sensitive=True)
        client.force_login(cast.bob)
        urls = urls_for(cast.enrollment_a, mapping.pk)
        assert urls["mapping:sensitive"] in client.get(urls["mapping:detail"]).content.decode()
        page = client.get(urls["mapping:sensitive"])
        assert page.status_code == 200
        assert "Diabetes" in page.content.decode()
        assert page.context["form"] is None
        assert client.post(urls["mapping:sensitive"], {"health": "x"}).status_code == 404
        event = AccessEvent.objects.filter(actor=cast.bob, part="sensitive").first()
        assert event.consent_id == consent.pk

    def test_a_consent_for_other_parts_is_not_enough(self, cast, client, share):
        mapping = complete(cast)
        share(covers_plan=True, covers_notes=True, covers_sensitive=True)
        client.force_login(cast.bob)
        urls = urls_for(cast.enrollment_a, mapping.pk)
        for name in ("mapping:detail", "mapping:version", "mapping:edit"):
            assert client.get(urls[name]).status_code == 404, name

    @pytest.mark.parametrize("state", ["withdrawn", "expired", "future"])
    def test_access_ends_at_once(self, cast, client, share, state):
        mapping = complete(cast)
        consent = share(covers_mapping=True, covers_sensitive=True)
        client.force_login(cast.bob)
        urls = urls_for(cast.enrollment_a, mapping.pk)
        assert client.get(urls["mapping:detail"]).status_code == 200
        today = timezone.localdate()
        if state == "withdrawn":
            consent.withdrawn_at = timezone.now()
        elif state == "expired":
            consent.valid_from = today - timedelta(days=30)
            consent.valid_to = today - timedelta(days=1)
        else:
            consent.valid_from = today + timedelta(days=1)
            consent.valid_to = today + timedelta(days=30)
        consent.save()
        for name, url in urls.items():
            assert client.get(url).status_code == 404, name


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_mapping_page_uses_a_fixed_number_of_queries(cast, client, share, who):
    share(covers_mapping=True)
    client.force_login(getattr(cast, who))
    url = reverse("mapping:detail", args=[cast.enrollment_a.pk])
    counts = []
    for total in (1, 20):
        Mapping.objects.all().delete()
        for day in range(total):
            complete(cast, carried_out_on=date(2025, 1, 1) + timedelta(days=day))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 20, counts


def test_a_consent_for_the_sensitive_part_alone_shows_no_mapping(cast, client, share):
    mapping = complete(cast)
    sensitive(cast)
    share(covers_sensitive=True)
    client.force_login(cast.bob)
    urls = urls_for(cast.enrollment_a, mapping.pk)
    page = client.get(urls["mapping:sensitive"])
    assert page.status_code == 200
    assert f'href="{urls["mapping:detail"]}"' not in page.content.decode()
    assert client.get(urls["mapping:detail"]).status_code == 404
