"""Only coordinators of a partner import into it and export it; everyone else gets 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stegvis.participants.models import Enrollment
from stegvis.transfer import services
from stegvis.transfer.models import ImportJob
from tests.transfer.conftest import csv_file, person_row

pytestmark = pytest.mark.django_db

NOT_COORDINATORS = ["alice", "amir", "bob", "mona", "axel", "otto"]


@pytest.fixture
def job_a(cast):
    return services.job_create(
        actor=cast.anna, partner=cast.partner_a, filename="d.csv", data=csv_file([person_row(1)])
    )


@pytest.mark.parametrize("who", NOT_COORDINATORS)
def test_staff_and_others_without_the_coordinator_role_get_404_everywhere(cast, client, who, job_a):
    client.force_login(getattr(cast, who))
    for url in (
        reverse("transfer:index"),
        reverse("transfer:upload"),
        reverse("transfer:job", args=[job_a.pk]),
        reverse("transfer:commit", args=[job_a.pk]),
        reverse("transfer:export", args=[cast.partner_a.pk, "xlsx"]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_the_coordinator_of_b_cannot_import_into_a_nor_export_a(cast, client, job_a):
    client.force_login(cast.bea)
    response = client.post(
        reverse("transfer:upload"),
        {
            "partner": cast.partner_a.pk,
            "file": SimpleUploadedFile("d.csv", csv_file([person_row(2)])),
        },
    )
    assert response.status_code == 200  # the form refuses a partner not offered
    assert "partner" in response.context["form"].errors
    assert ImportJob.objects.count() == 1
    assert (
        client.get(reverse("transfer:export", args=[cast.partner_a.pk, "xlsx"])).status_code == 404
    )
    assert client.get(reverse("transfer:job", args=[job_a.pk])).status_code == 404
    assert client.post(reverse("transfer:commit", args=[job_a.pk])).status_code == 404
    job_a.refresh_from_db()
    assert job_a.status == ImportJob.Status.CHECKED
    assert not Enrollment.objects.filter(external_id="X-1").exists()


def test_missing_and_not_yours_look_the_same(cast, client, job_a):
    client.force_login(cast.bea)
    not_yours = client.get(reverse("transfer:job", args=[job_a.pk]))
    missing = client.get(reverse("transfer:job", args=[999999]))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content


def test_another_coordinator_of_the_same_partner_does_not_see_my_job(cast, client, job_a):
    from stegvis.organisations.models import Role
    from tests import factories as f

    colleague = f.UserFactory(username="adam")
    f.MembershipFactory(user=colleague, unit=cast.unit_a2, role=Role.COORDINATOR)
    client.force_login(colleague)
    assert client.get(reverse("transfer:job", args=[job_a.pk])).status_code == 404


def test_anonymous_users_are_sent_to_login(cast, client, job_a):
    for url in (
        reverse("transfer:job", args=[job_a.pk]),
        reverse("transfer:export", args=[cast.partner_a.pk, "zip"]),
        reverse("transfer:template", args=["all", "xlsx"]),
    ):
        assert client.get(url).status_code == 302
