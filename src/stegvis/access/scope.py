"""What one user may reach, derived from their active memberships (one query, cached per user)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stegvis.organisations.models import Membership, Partner, Programme, Role

RECORD_ROLES = frozenset({Role.STAFF, Role.COORDINATOR})
AGGREGATE_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.ANALYST})

_CACHE_ATTR = "_stegvis_scope"


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    # Units whose enrollments the user works with as staff.
    staff_unit_ids: frozenset[int] = frozenset()
    # Organisations the user coordinates: all their partners' enrollments.
    coordinator_org_ids: frozenset[int] = frozenset()
    coordinator_partner_ids: frozenset[int] = frozenset()
    # Programmes the user sees aggregates of (programme managers and analysts).
    aggregate_programme_ids: frozenset[int] = frozenset()
    manager_programme_ids: frozenset[int] = frozenset()
    administrator_org_ids: frozenset[int] = frozenset()
    # unit id -> organisation id for every unit the user belongs to (for "acting for").
    unit_orgs: dict[int, int] = field(default_factory=dict)
    roles: frozenset[str] = frozenset()
    # Organisations the user works with participants for (staff or coordinator): what a
    # consent can name.
    record_org_ids: frozenset[int] = frozenset()

    @property
    def has_record_access(self) -> bool:
        return bool(self.staff_unit_ids or self.coordinator_org_ids)

    @property
    def has_aggregate_access(self) -> bool:
        return bool(self.aggregate_programme_ids)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(self.unit_orgs.values())


EMPTY_SCOPE = Scope(user_id=None)


def scope_for(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    memberships = list(
        Membership.objects.filter(user=user, is_active=True).values_list(
            "unit_id", "unit__organisation_id", "role"
        )
    )
    staff_units = {unit for unit, _org, role in memberships if role == Role.STAFF}
    coordinator_orgs = {org for _unit, org, role in memberships if role == Role.COORDINATOR}
    aggregate_orgs = {org for _unit, org, role in memberships if role in AGGREGATE_ROLES}
    manager_orgs = {org for _unit, org, role in memberships if role == Role.PROGRAMME_MANAGER}
    admin_orgs = {org for _unit, org, role in memberships if role == Role.ADMINISTRATOR}

    coordinator_partners: set[int] = set()
    if coordinator_orgs:
        coordinator_partners = set(
            Partner.objects.filter(organisation_id__in=coordinator_orgs).values_list(
                "id", flat=True
            )
        )
    aggregate_programmes: set[int] = set()
    manager_programmes: set[int] = set()
    if aggregate_orgs:
        for programme_id, owner_id in Programme.objects.filter(
            owner_id__in=aggregate_orgs
        ).values_list("id", "owner_id"):
            aggregate_programmes.add(programme_id)
            if owner_id in manager_orgs:
                manager_programmes.add(programme_id)

    scope = Scope(
        user_id=user.pk,
        staff_unit_ids=frozenset(staff_units),
        coordinator_org_ids=frozenset(coordinator_orgs),
        coordinator_partner_ids=frozenset(coordinator_partners),
        aggregate_programme_ids=frozenset(aggregate_programmes),
        manager_programme_ids=frozenset(manager_programmes),
        administrator_org_ids=frozenset(admin_orgs),
        unit_orgs={unit: org for unit, org, _role in memberships},
        roles=frozenset(role for _unit, _org, role in memberships),
        record_org_ids=frozenset(org for _unit, org, role in memberships if role in RECORD_ROLES),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after memberships change within one request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
