"""Reads for import and export: the partners a user may import into, their own jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner

from .models import ImportJob


def partners_for_transfer(*, actor: Any) -> QuerySet[Partner]:
    """Partners the actor coordinates: only they import and export participants."""
    ids = scope_for(actor).coordinator_partner_ids
    return (
        Partner.objects.filter(pk__in=ids)
        .select_related("organisation", "programme")
        .order_by("programme__name", "organisation__name")
    )


def partner_get(*, actor: Any, partner_id: int) -> Partner:
    partner = partners_for_transfer(actor=actor).filter(pk=partner_id).first()
    if partner is None:
        raise Http404
    return partner


def jobs_for(*, actor: Any) -> QuerySet[ImportJob]:
    """A user's own jobs, for partners they still coordinate."""
    ids = scope_for(actor).coordinator_partner_ids
    return (
        ImportJob.objects.filter(owner=actor, partner_id__in=ids)
        .select_related("partner__organisation", "partner__programme")
        .defer("data")
    )


def job_get(*, actor: Any, job_id: int) -> ImportJob:
    job = jobs_for(actor=actor).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job
