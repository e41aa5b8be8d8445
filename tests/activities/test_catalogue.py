"""The programme's activity catalogue: administrators and programme managers edit it."""

import pytest
from django.urls import reverse

from stegvis.activities.models import ActivityType
from stegvis.organisations.models import Role, Unit
from tests import factories as f
from tests.activities.conftest import make_activity

LIST = reverse("activities:catalogue")
NEW = reverse("activities:catalogue_create")


def edit(entry):
    return reverse("activities:catalogue_edit", args=[entry.pk])


def delete(entry):
    return reverse("activities:catalogue_delete", args=[entry.pk])


@pytest.fixture
def adam(cast):
    """An administrator at the region that owns the programme."""
    user = f.UserFactory(username="adam", first_name="Adam")
    f.MembershipFactory(
        user=user, unit=Unit.objects.get(organisation=cast.region), role=Role.ADMINISTRATOR
    )
    return user


@pytest.mark.parametrize("who", ["mona", "adam"])
def test_managers_and_administrators_create_and_edit(cast, client, sfi, adam, who):
    client.force_login(adam if who == "adam" else cast.mona)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "SFI with vocational Swedish" in response.content.decode()
    response = client.post(
        NEW,
        {
            "programme": cast.programme.pk,
            "name": "Parenting in Sweden",
            "description": "Group for parents",
            "funder_category": "parental_support",
        },
    )
    assert response.status_code == 302
    entry = ActivityType.objects.get(name="Parenting in Sweden")
    assert entry.programme == cast.programme
    response = client.post(
        edit(entry),
        {
            "programme": cast.programme.pk,
            "name": "Parenting",
            "description": "",
            "funder_category": "health",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.name, entry.funder_category) == ("Parenting", "health")


def test_a_duplicate_name_is_explained(cast, client, sfi):
    client.force_login(cast.mona)
    response = client.post(
        NEW,
        {
            "programme": cast.programme.pk,
            "name": "sfi WITH vocational swedish",
            "funder_category": "language_course",
        },
    )
    assert response.status_code == 200
    assert "already has a type with this name" in response.content.decode()
    assert ActivityType.objects.count() == 1


def test_a_programme_manager_of_another_programme_cannot_add(cast, client):
    outsider = f.OrganisationFactory(name="Other region")
    manager = f.UserFactory(username="pm2")
    f.MembershipFactory(
        user=manager, unit=f.UnitFactory(organisation=outsider), role=Role.PROGRAMME_MANAGER
    )
    f.ProgrammeFactory(name="Theirs", code="theirs", owner=outsider)
    client.force_login(manager)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW, {"programme": cast.programme.pk, "name": "Y", "funder_category": "other"}
    )
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors
    client.force_login(cast.otto)
    assert (
        client.post(
            NEW, {"programme": cast.programme.pk, "name": "Y", "funder_category": "other"}
        ).status_code
        == 404
    )
    assert not ActivityType.objects.filter(name="Y").exists()


def test_a_type_in_use_is_not_deleted(cast, client, sfi):
    make_activity(cast.alice, cast.unit_a, sfi)
    unused = ActivityType.objects.create(
        programme=cast.programme, name="Unused", funder_category="other"
    )
    client.force_login(cast.mona)
    response = client.post(delete(sfi), follow=True)
    assert "is used by 1 activity and cannot be deleted" in response.content.decode()
    assert ActivityType.objects.filter(pk=sfi.pk).exists()
    client.post(delete(unused))
    assert not ActivityType.objects.filter(pk=unused.pk).exists()


@pytest.mark.parametrize("who", ["alice", "anna", "bob", "bea", "axel", "otto"])
def test_everyone_else_gets_404(cast, client, sfi, who):
    client.force_login(getattr(cast, who))
    for url in (LIST, NEW, edit(sfi)):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(
            edit(sfi),
            {"programme": cast.programme.pk, "name": "Hacked", "funder_category": "other"},
        ).status_code
        == 404
    )
    assert client.post(delete(sfi)).status_code == 404
    sfi.refresh_from_db()
    assert sfi.name == "SFI with vocational Swedish"
