from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stegvis.access.models import AccessEvent
from stegvis.notes.models import Note
from tests.notes.test_services import correct, write


def urls_for(enrollment, note_id):
    return {
        "notes:list": reverse("notes:list", args=[enrollment.pk]),
        "notes:create": reverse("notes:create", args=[enrollment.pk]),
        "notes:correct": reverse("notes:correct", args=[enrollment.pk, note_id]),
    }


NOTE = {"date": "2025-03-03", "category": "coaching", "text": "Talked about the CV"}


class TestOwnStaff:
    def test_write_a_note_from_the_list(self, cast, client):
        client.force_login(cast.alice)
        url = reverse("notes:list", args=[cast.enrollment_a.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert reverse("notes:create", args=[cast.enrollment_a.pk]) in page.content.decode()
        response = client.post(reverse("notes:create", args=[cast.enrollment_a.pk]), NOTE)
        assert response.status_code == 302
        assert response["Location"] == url
        assert "Talked about the CV" in client.get(url).content.decode()

    def test_an_invalid_note_is_explained(self, cast, client):
        client.force_login(cast.alice)
        create = reverse("notes:create", args=[cast.enrollment_a.pk])
        response = client.post(create, {**NOTE, "date": "2099-01-01", "text": ""})
        assert response.status_code == 200
        assert set(response.context["form"].errors) == {"date", "text"}
        assert not Note.objects.exists()
        assert client.get(create).status_code == 200

    def test_correct_a_note_and_see_both(self, cast, client):
        original = write(cast)
        client.force_login(cast.alice)
        url = reverse("notes:correct", args=[cast.enrollment_a.pk, original.pk])
        form = client.get(url).context["form"]
        assert form.initial["text"] == "Called about the internship"
        response = client.post(
            url,
            {
                "date": "2025-03-03",
                "category": "contact",
                "text": "Called about the language course",
                "reason": "Wrong course",
            },
        )
        assert response.status_code == 302
        page = client.get(reverse("notes:list", args=[cast.enrollment_a.pk]))
        notes = list(page.context["page_obj"])
        assert [n.text for n in notes] == [
            "Called about the language course",
            "Called about the internship",
        ]
        text = page.content.decode()
        assert "corrected" in text and "Wrong course" in text
        # The corrected note offers no second correction.
        assert url not in text
        again = client.post(url, {**NOTE, "reason": "again"})
        assert again.status_code == 200
        assert again.context["already_corrected"]
        assert Note.objects.count() == 2

    def test_newest_first_with_pages(self, cast, client, settings):
        settings.PAGE_SIZE = 2
        for day in (1, 3, 2):
            write(cast, text=f"Day {day}", date=date(2025, 3, day))
        client.force_login(cast.alice)
        url = reverse("notes:list", args=[cast.enrollment_a.pk])
        first = client.get(url).context["page_obj"]
        assert [n.text for n in first] == ["Day 3", "Day 2"]
        second = client.get(url, {"page": 2}).context["page_obj"]
        assert [n.text for n in second] == ["Day 1"]

    def test_listing_is_logged_and_a_sensitive_read_apart(self, cast, client):
        client.force_login(cast.alice)
        url = reverse("notes:list", args=[cast.enrollment_a.pk])
        write(cast)
        client.get(url)
        assert list(AccessEvent.objects.filter(action="view").values_list("part", flat=True)) == [
            "notes"
        ]
        write(cast, text="Has a back injury", category="sensitive")
        client.get(url)
        parts = AccessEvent.objects.filter(action="view").values_list("part", flat=True)
        assert sorted(parts) == ["notes", "notes", "sensitive"]


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona", "axel"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_without_consent_every_page_is_not_found(cast, client, who, method):
    note = write(cast)
    client.force_login(getattr(cast, who))
    for name, url in urls_for(cast.enrollment_a, note.pk).items():
        response = getattr(client, method)(url, {**NOTE, "reason": "x"} if method == "post" else {})
        assert response.status_code == 404, name
        assert b"Karimi" not in response.content
    assert Note.objects.count() == 1


class TestSharedByConsent:
    def test_bob_reads_the_notes_but_not_the_sensitive_ones(self, cast, client, share):
        write(cast, text="Called about the internship")
        write(cast, text="Has a back injury", category="sensitive")
        consent = share(covers_notes=True)
        client.force_login(cast.bob)
        page = client.get(reverse("notes:list", args=[cast.enrollment_a.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Called about the internship" in text
        assert "back injury" not in text
        assert page.context["form"] is None
        events = AccessEvent.objects.filter(actor=cast.bob)
        assert [(e.part, e.consent_id) for e in events] == [("notes", consent.pk)]

    def test_with_the_sensitive_part_bob_sees_them_too(self, cast, client, share):
        write(cast, text="Has a back injury", category="sensitive")
        consent = share(covers_notes=True, covers_sensitive=True)
        client.force_login(cast.bob)
        page = client.get(reverse("notes:list", args=[cast.enrollment_a.pk]))
        assert "back injury" in page.content.decode()
        events = AccessEvent.objects.filter(actor=cast.bob).order_by("pk")
        assert [(e.part, e.consent_id) for e in events] == [
            ("notes", consent.pk),
            ("sensitive", consent.pk),
        ]

    def test_bob_cannot_write_or_correct(self, cast, client, share):
        note = write(cast)
        share(covers_notes=True, covers_sensitive=True)
        client.force_login(cast.bob)
        urls = urls_for(cast.enrollment_a, note.pk)
        for name in ("notes:create", "notes:correct"):
            assert client.get(urls[name]).status_code == 404, name
            assert client.post(urls[name], {**NOTE, "reason": "x"}).status_code == 404, name
        assert Note.objects.count() == 1

    def test_a_sensitive_note_cannot_be_reached_by_its_id(self, cast, client, share):
        note = write(cast, text="Has a back injury", category="sensitive")
        share(covers_notes=True)
        client.force_login(cast.anna)
        assert client.get(urls_for(cast.enrollment_a, note.pk)["notes:correct"]).status_code == 200
        client.force_login(cast.bob)
        assert client.get(urls_for(cast.enrollment_a, note.pk)["notes:correct"]).status_code == 404

    def test_a_consent_for_other_parts_is_not_enough(self, cast, client, share):
        write(cast)
        share(covers_mapping=True, covers_plan=True, covers_sensitive=True)
        client.force_login(cast.bob)
        assert client.get(reverse("notes:list", args=[cast.enrollment_a.pk])).status_code == 404

    @pytest.mark.parametrize("state", ["withdrawn", "expired"])
    def test_access_ends_at_once(self, cast, client, share, state):
        note = write(cast)
        consent = share(covers_notes=True)
        client.force_login(cast.bob)
        url = reverse("notes:list", args=[cast.enrollment_a.pk])
        assert client.get(url).status_code == 200
        if state == "withdrawn":
            consent.withdrawn_at = timezone.now()
        else:
            consent.valid_from = timezone.localdate() - timedelta(days=30)
            consent.valid_to = timezone.localdate() - timedelta(days=1)
        consent.save()
        for name, address in urls_for(cast.enrollment_a, note.pk).items():
            assert client.get(address).status_code == 404, name


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_the_list_uses_a_fixed_number_of_queries(cast, client, share, who):
    share(covers_notes=True, covers_sensitive=True)
    client.force_login(getattr(cast, who))
    url = reverse("notes:list", args=[cast.enrollment_a.pk])
    counts = []
    for total in (1, 20):
        Note.objects.filter(corrects__isnull=False).delete()
        Note.objects.all().delete()
        # Each page shows sensitive notes too: the extra log row is part of the count.
        notes = [
            write(cast, text=f"Note {i}", category="contact" if i % 3 else "sensitive")
            for i in range(total)
        ]
        correct(cast, notes[0])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.context["page_obj"]) == total + 1
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 16, counts
