import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from stegvis.access.audit import log_event
from stegvis.access.models import AccessEvent, AppendOnlyError
from stegvis.access.purge import purge_allowed, set_purge_allowed


@pytest.fixture
def strict_log():
    set_purge_allowed(False)
    yield
    set_purge_allowed(True)


def test_every_participant_page_view_leaves_a_row(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("participants:detail", args=[cast.enrollment_a.pk]))
    client.get(reverse("participants:edit", args=[cast.enrollment_a.pk]))
    events = AccessEvent.objects.filter(enrollment_id=cast.enrollment_a.pk, action="view")
    assert events.count() == 2
    assert {e.actor_name for e in events} == {"alice"}


def test_the_model_refuses_changes_and_deletes(cast):
    event = log_event(actor=cast.alice, action="view")
    event.summary = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_the_database_refuses_raw_updates(cast, strict_log):
    log_event(actor=cast.alice, action="view")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_accessevent SET actor_name = 'mallory'")
    assert AccessEvent.objects.get().actor_name == "alice"


def test_the_database_refuses_deletes_unless_a_purge_is_allowed(cast, strict_log):
    log_event(actor=cast.alice, action="view")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessEvent.objects.all()._raw_delete(using="default")
    assert AccessEvent.objects.count() == 1
    with purge_allowed():
        AccessEvent.objects.all()._raw_delete(using="default")
    assert AccessEvent.objects.count() == 0


def test_even_a_purge_cannot_update(cast):
    log_event(actor=cast.alice, action="view")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE access_accessevent SET actor_name = 'mallory'")


def test_coordinators_browse_their_partners_log(cast, client):
    client.force_login(cast.alice)
    client.get(reverse("participants:detail", args=[cast.enrollment_a.pk]))
    client.force_login(cast.anna)
    response = client.get(reverse("access:log"))
    assert response.status_code == 200
    assert b"alice" in response.content
    per_person = client.get(reverse("participants:log", args=[cast.enrollment_a.pk]))
    assert per_person.status_code == 200
    assert b"alice" in per_person.content


def test_staff_cannot_browse_the_log(cast, client):
    client.force_login(cast.alice)
    assert client.get(reverse("access:log")).status_code == 404
    assert client.get(reverse("participants:log", args=[cast.enrollment_a.pk])).status_code == 404
