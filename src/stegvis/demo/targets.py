"""Targets for the demo programme: the programme's goals (as the seeds report them) and each
partner's commitment with a gender split, so dashboards and final reports show goal fulfilment.
Deterministic (no randomness needed); call inside the demo's transaction."""

from __future__ import annotations

from decimal import Decimal

from stegvis.organisations.models import Partner, Programme
from stegvis.reporting.models import Target

from . import catalogue as cat

# (indicator, target, goal label): shares in per cent, as in Helhetslyftet and Värmland.
PROGRAMME_GOALS: tuple[tuple[str, str, str], ...] = (
    ("R.2.9", "60", "Goal 3: the activity helped integration"),
    ("employability", "60", "Goal 2: increased employability (BIP)"),
    ("R.2.8", "80", "Goal 1: language participants improve one level"),
    ("exits.work", "20", "Closer to the labour market: to work"),
    ("exits.study", "20", "Into studies"),
    ("work_or_studies", "33", "Finishers in work or studies"),
)
WOMEN_SHARE = Decimal("0.6")


def write_targets() -> int:
    """Programme goals and partner commitments; returns the number of targets written."""
    programme = Programme.objects.get(code=cat.PROGRAMME_CODE)
    partners = list(Partner.objects.filter(programme=programme).order_by("pk"))
    rows = [
        Target(programme=programme, indicator=code, value=Decimal(value), label=label)
        for code, value, label in PROGRAMME_GOALS
    ]
    total = sum(p.committed_participants or 0 for p in partners)
    if total:
        women = int(total * WOMEN_SHARE)
        rows.append(
            Target(
                programme=programme,
                indicator="participants",
                value=Decimal(total),
                women=women,
                men=total - women,
                label="Participants",
            )
        )
    for partner in partners:
        if partner.committed_participants:
            women = int(partner.committed_participants * WOMEN_SHARE)
            rows.append(
                Target(
                    programme=programme,
                    partner=partner,
                    indicator="participants",
                    value=Decimal(partner.committed_participants),
                    women=women,
                    men=partner.committed_participants - women,
                    label="Commitment",
                )
            )
    Target.objects.bulk_create(rows)
    return len(rows)
