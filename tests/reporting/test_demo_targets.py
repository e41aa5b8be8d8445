import datetime

from django.db import transaction

from stegvis.demo.generator import generate_demo
from stegvis.organisations.models import Partner, Programme
from stegvis.reporting.goals import goal_fulfilment
from stegvis.reporting.indicators import compute_indicators
from stegvis.reporting.models import Target


def test_demo_has_programme_goals_and_partner_commitments(db):
    with transaction.atomic():
        generate_demo(seed=7, today=datetime.date(2026, 3, 16), participants=120)
        programme = Programme.objects.get(code="broar")
        partners = Partner.objects.filter(programme=programme).exclude(committed_participants=None)
        assert Target.objects.filter(partner__isnull=False).count() == partners.count()
        for target in Target.objects.filter(partner__isnull=False):
            assert target.value == target.partner.committed_participants
            assert target.women + target.men == target.value
        results = compute_indicators(actor=None, programme=programme)
        goals = {
            g.code: g for g in goal_fulfilment(programme=programme, partner=None, results=results)
        }
        assert {"participants", "exits.work", "R.2.9", "R.2.8"} <= set(goals)
        assert goals["exits.work"].actual is not None and goals["exits.work"].actual > 0
        assert goals["R.2.9"].actual is not None  # the demo's exit questionnaires
        # Self-rated belief in work, from the demo's self-ratings (progression app).
        assert "employability" not in goals or goals["employability"].actual is not None
        transaction.set_rollback(True)
