"""No URL shows a participant's data to anyone outside the owning unit/partner.

Every URL pattern of the project is classified below. A new URL fails
``test_every_url_is_classified`` until someone decides whether it shows participant data.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Convention: in every app, a URL with a ``pk`` argument is about the enrollment with that pk
# (sub-objects add their own id after it). All of them are found and walked automatically.
# Pages listing participant data without a pk: 404 for roles without record access.
LIST_URLS = [
    "participants:list",
    "participants:create",
    "participants:shared",
    "access:log",
    "plans:my_actions",
    "outcomes:followups_due",
    "activities:list",
    "activities:create",
    "progression:due",
    "activities:figures",
    "transfer:index",
    "transfer:upload",
    "placements:list",
    "placements:workplace_create",
    "dropin:register",
    "dropin:summary",
]
# Pages that show no participant data.
NON_PARTICIPANT_URLS = {
    "core:home",
    "core:healthz",
    "accounts:login",
    "accounts:logout",
    "set_language",
    # Instruments, their recordings and cohort aggregates: no individual's data (the cohort
    # page's own outsider tests are in tests/progression/test_cohort.py).
    "progression:instruments",
    "progression:instrument_version",
    "progression:audio",
    "progression:cohort",
    # The participant's one-time link pages: they show questions only, never whose link it is
    # (tests/progression/test_flows.py).
    "selfservice:open",
    "selfservice:language",
    "selfservice:question",
    "selfservice:review",
    "selfservice:thanks",
    "selfservice:audio",
    # The programme's activity catalogue: types only, for administrators and managers.
    "activities:catalogue",
    "activities:catalogue_create",
    "activities:catalogue_edit",
    "activities:catalogue_delete",
    "reporting:index",
    "transfer:template",
    # Employer data with counts (suppressed below 5 for roles without record access).
    "placements:workplaces",
    # The user's own API tokens (another user's token: 404, tests/api/test_tokens.py).
    "api:tokens",
    "api:token_revoke",
    # The API's schema and its documentation page.
    "api:schema",
    "api:docs",
    "api:not_found",
    # Aggregates with small counts suppressed (tests/api/test_api_aggregates.py).
    "api:programmes",
    "api:programme_overview",
    "api:programme_indicators",
    # Employer data with counts, suppressed below 5 for aggregate roles, and drop-in visitor
    # counts per unit (no one's name); scoping in tests/api/test_api_internships.py.
    "api:workplaces",
    "api:dropin_summary",
}
# Pages keyed by another object's id that show participant data filtered through the access
# layer; each has its own outsider walk (named next to it).
OWN_OUTSIDER_TESTS = {
    "activities:detail": "tests/activities/test_access.py",
    "activities:add_participant": "tests/activities/test_access.py",
    "activities:end_participation": "tests/activities/test_access.py",
    "activities:sessions": "tests/activities/test_access.py",
    "activities:generate_sessions": "tests/activities/test_access.py",
    "activities:session_edit": "tests/activities/test_access.py",
    "activities:attendance": "tests/activities/test_access.py",
    "activities:undo": "tests/activities/test_access.py",
    # Reports are keyed by programme: aggregate viewers see them, records only their own.
    "reporting:programme": "tests/reporting/test_views.py",
    "reporting:partner": "tests/reporting/test_views.py",
    "reporting:track": "tests/reporting/test_views.py",
    "reporting:numbers": "tests/reporting/test_views.py",
    "reporting:export": "tests/reporting/test_views.py",
    "reporting:targets": "tests/reporting/test_views.py",
    "reporting:target_delete": "tests/reporting/test_views.py",
    "reporting:register": "tests/reporting/test_register.py",
    "reporting:final_report": "tests/reporting/test_final_report.py",
    "reporting:final_report_file": "tests/reporting/test_final_report.py",
    "transfer:job": "tests/transfer/test_access.py",
    "transfer:commit": "tests/transfer/test_access.py",
    "transfer:export": "tests/transfer/test_access.py",
    "placements:workplace_detail": "tests/placements/test_access.py",
    "api:internships": "tests/api/test_api_internships.py",
    "api:internship": "tests/api/test_api_internships.py",
    # The REST API answers 401/403/404 as JSON instead of redirecting to the login page.
    **{
        f"api:{name}": "tests/api/test_api_access.py"
        for name in (
            "enrollments",
            "enrollment",
            "enrollment_exit",
            "shared",
            "shared_enrollment",
            "exits",
            "activities",
            "activity",
            "participations",
            "activity_sessions",
            "attendance",
            "language_results",
            "assessments",
            "assessment",
        )
    },
}


def _patterns(patterns, namespace="", prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


ALL_URLS = dict(_patterns(get_resolver().url_patterns))
ENROLLMENT_URLS = sorted(name for name, route in ALL_URLS.items() if "<int:pk>" in route)


def _args(url_name, pk):
    """pk for the enrollment; any further ids get the same number (unknown or not yours)."""
    route = ALL_URLS[url_name]
    return [pk] * route.count("<int:")


def test_every_url_is_classified():
    names = set(ALL_URLS)
    unclassified = (
        names
        - set(ENROLLMENT_URLS)
        - set(LIST_URLS)
        - NON_PARTICIPANT_URLS
        - set(OWN_OUTSIDER_TESTS)
    )
    assert not unclassified, f"Classify these URLs in {__file__}: {sorted(unclassified)}"
    assert {"participants:detail", "participants:edit"} <= set(ENROLLMENT_URLS)


OUTSIDERS_OF_A = ["otto", "bob", "bea", "mona", "axel"]


@pytest.mark.parametrize("url_name", ENROLLMENT_URLS)
@pytest.mark.parametrize("who", OUTSIDERS_OF_A)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404_for_partner_a_data(cast, client, url_name, who, method):
    client.force_login(getattr(cast, who))
    url = reverse(url_name, args=_args(url_name, cast.enrollment_a.pk))
    response = getattr(client, method)(url)
    assert response.status_code == 404
    assert b"Karimi" not in response.content


@pytest.mark.parametrize("url_name", ENROLLMENT_URLS)
def test_missing_and_not_yours_look_the_same(cast, client, url_name):
    client.force_login(cast.bob)
    not_yours = client.get(reverse(url_name, args=_args(url_name, cast.enrollment_a.pk)))
    missing = client.get(reverse(url_name, args=_args(url_name, 999999)))
    assert not_yours.status_code == missing.status_code == 404
    assert not_yours.content == missing.content


@pytest.mark.parametrize("url_name", LIST_URLS)
@pytest.mark.parametrize("who", ["mona", "axel"])
def test_aggregate_roles_have_no_lists_of_people(cast, client, url_name, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse(url_name)).status_code == 404


@pytest.mark.parametrize("who", ["otto", "bob", "bea"])
def test_other_organisations_lists_do_not_show_partner_a(cast, client, who):
    client.force_login(getattr(cast, who))
    for query in ("", "?q=Karimi", f"?q={cast.enrollment_a.participant.identity_number}"):
        response = client.get(reverse("participants:list") + query)
        assert response.status_code == 200
        shown = {e.pk for e in response.context["page_obj"]}
        assert cast.enrollment_a.pk not in shown
        assert cast.enrollment_a.pseudonym.encode() not in response.content
        assert reverse("participants:detail", args=[cast.enrollment_a.pk]).encode() not in (
            response.content
        )
    response = client.get(reverse("core:home"))
    assert b"Karimi" not in response.content


def test_partner_b_coordinator_log_does_not_show_partner_a(cast, client):
    client.force_login(cast.anna)
    client.get(reverse("participants:detail", args=[cast.enrollment_a.pk]))
    client.force_login(cast.bea)
    response = client.get(reverse("access:log"))
    assert response.status_code == 200
    assert cast.enrollment_a.pseudonym.encode() not in response.content


@pytest.mark.parametrize("url_name", ENROLLMENT_URLS + LIST_URLS)
def test_anonymous_users_are_sent_to_login(cast, client, url_name):
    args = _args(url_name, cast.enrollment_a.pk)
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_participant_data_is_not_in_the_technical_admin():
    from django.contrib import admin

    from stegvis.access.models import AccessEvent
    from stegvis.participants.models import EligibilityCheck, Enrollment, Participant

    registered = set(admin.site._registry)
    assert not {Participant, Enrollment, EligibilityCheck, AccessEvent} & registered
