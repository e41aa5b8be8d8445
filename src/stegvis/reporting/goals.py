"""Targets and live goal fulfilment: each target against the same indicator results the
dashboards and reports show (``compute_indicators``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Programme

from .indicators import COUNT, REGISTRY, IndicatorResult, IndicatorSet, round_share
from .models import PARTICIPANTS, Narrative, Target


@dataclass(frozen=True)
class Goal:
    code: str
    title: str
    label: str
    unit: str
    target: Decimal
    women_target: int | None
    men_target: int | None
    result: IndicatorResult | None
    from_commitment: bool

    @property
    def actual(self) -> Decimal | None:
        if self.result is None:
            return None
        if self.unit == COUNT:
            n = self.result.numerator
            return None if n is None else Decimal(n)
        return self.result.share

    @property
    def actual_display(self) -> str:
        actual = self.actual
        if actual is None:
            return "–"
        if self.unit == COUNT:
            return str(int(actual))
        return f"{round_share(actual, 0)} %"

    @property
    def target_display(self) -> str:
        return str(int(self.target)) if self.unit == COUNT else f"{self.target.normalize():f} %"

    @property
    def met(self) -> bool | None:
        actual = self.actual
        return None if actual is None else actual >= self.target

    @property
    def fulfilment(self) -> int | None:
        """Actual as whole percent of the target."""
        actual = self.actual
        if actual is None or not self.target:
            return None
        return int(round_share(actual * 100 / self.target, 0) or 0)

    @property
    def scale(self) -> Decimal:
        if self.unit != COUNT:
            return Decimal(100)
        return max(self.actual or Decimal(0), self.target, Decimal(1)) * Decimal("1.1")

    @property
    def bar_percent(self) -> str:
        """Width of the bar in percent of the chart, as text for SVG."""
        actual = self.actual or Decimal(0)
        return f"{min(actual * 100 / self.scale, Decimal(100)):.1f}"

    @property
    def target_percent(self) -> str:
        return f"{min(self.target * 100 / self.scale, Decimal(100)):.1f}"


def goal_fulfilment(
    *, programme: Programme, partner: Partner | None, results: IndicatorSet
) -> list[Goal]:
    """The targets of the programme (partner=None) or of one partner, with their results.

    A partner without an explicit participants target is held to its commitment
    (``Partner.committed_participants``); the programme without one to the sum of them. The
    programme's *share* goals ("60 % say the activity helped") hold for every partner that has
    no goal of its own for that indicator; count goals do not (they are the programme's sum).
    """
    scope = Q(partner__isnull=True) if partner is None else Q(partner=partner)
    if partner is not None:
        scope |= Q(partner__isnull=True)
    rows = list(Target.objects.filter(scope, programme=programme).order_by("label", "indicator"))
    own = {t.indicator for t in rows if t.partner_id is not None}

    def applies(target: Target) -> bool:
        if partner is None or target.partner_id is not None:
            return True
        indicator = REGISTRY.get(target.indicator)
        return indicator is not None and indicator.unit != COUNT and target.indicator not in own

    targets = [t for t in rows if applies(t)]
    goals = []
    have_participants = any(t.indicator == PARTICIPANTS for t in targets)
    if not have_participants:
        if partner is not None:
            committed = partner.committed_participants
        else:
            total = Partner.objects.filter(programme=programme).aggregate(
                total=Sum("committed_participants")
            )["total"]
            committed = total or None
        if committed:
            goals.append(
                Goal(
                    code=PARTICIPANTS,
                    title=_("Participants enrolled against the commitment"),
                    label="",
                    unit=COUNT,
                    target=Decimal(committed),
                    women_target=None,
                    men_target=None,
                    result=results.get(PARTICIPANTS),
                    from_commitment=True,
                )
            )
    for target in targets:
        indicator = REGISTRY.get(target.indicator)
        if indicator is None:
            continue
        goals.append(
            Goal(
                code=indicator.code,
                title=str(indicator.title),
                label=target.label,
                unit=indicator.unit,
                target=target.value,
                women_target=target.women,
                men_target=target.men,
                result=results.get(indicator.code),
                from_commitment=False,
            )
        )
    goals.sort(key=lambda g: (g.code != PARTICIPANTS, g.label, g.code))
    return goals


def can_manage_targets(actor: Any, programme: Programme) -> bool:
    return programme.pk in scope_for(actor).manager_programme_ids


def can_edit_narrative(actor: Any, programme: Programme, partner: Partner | None) -> bool:
    scope = scope_for(actor)
    if partner is None:
        return programme.pk in scope.manager_programme_ids
    return partner.programme_id == programme.pk and partner.pk in scope.coordinator_partner_ids


def target_save(
    *,
    actor: Any,
    programme: Programme,
    partner: Partner | None,
    indicator: str,
    value: Decimal,
    label: str = "",
    women: int | None = None,
    men: int | None = None,
) -> Target:
    """Set (create or replace) the target for one indicator."""
    if not can_manage_targets(actor, programme):
        raise PermissionError
    ind = REGISTRY.get(indicator)
    if ind is None or programme.fund not in ind.funds:
        raise ValidationError(_("Choose an indicator of this programme."))
    if partner is not None and partner.programme_id != programme.pk:
        raise ValidationError(_("Choose a partner of this programme."))
    if ind.unit != COUNT and value > 100:
        raise ValidationError(_("A share target is a percentage between 0 and 100."))
    if (women or 0) + (men or 0) > value and ind.unit == COUNT:
        raise ValidationError(_("Women and men together exceed the target."))
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            programme=programme,
            partner=partner,
            indicator=indicator,
            defaults={
                "value": value,
                "label": label,
                "women": women,
                "men": men,
                "updated_by": actor,
                "updated_at": timezone.now(),
            },
        )
    return target


def target_delete(*, actor: Any, target: Target) -> None:
    if not can_manage_targets(actor, target.programme):
        raise PermissionError
    with transaction.atomic():
        target.delete()


def narrative_save(
    *, actor: Any, programme: Programme, partner: Partner | None, texts: dict[str, str]
) -> None:
    """Save the final report's written sections (empty text clears a section)."""
    if not can_edit_narrative(actor, programme, partner):
        raise PermissionError
    with transaction.atomic():
        for section, text in texts.items():
            Narrative.objects.update_or_create(
                programme=programme,
                partner=partner,
                section=section,
                defaults={"text": text.strip(), "updated_by": actor, "updated_at": timezone.now()},
            )


def narratives_of(programme: Programme, partner: Partner | None) -> dict[str, str]:
    return dict(
        Narrative.objects.filter(programme=programme, partner=partner).values_list(
            "section", "text"
        )
    )
