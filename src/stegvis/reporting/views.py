"""Dashboards, drill-down lists, exports, targets and the final report. Thin: the numbers come
from ``indicators.compute_indicators`` and friends; access is decided there and here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import acting_organisation_id
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Programme, Track

from . import goals as goal_services
from .attendance import attendance_overview
from .exports import CONTENT_TYPES, FORMATS, export_indicators
from .forms import PeriodForm, TargetForm
from .indicators import (
    DRILL_PARTS,
    REGISTRY,
    SUPPRESSION_LIMIT,
    NotAllowed,
    Period,
    compute_indicators,
    enrollments_behind,
    enrollments_by_month,
    partner_numbers,
)
from .models import Target


def viewable_programmes(actor: Any) -> list[Programme]:
    scope = scope_for(actor)
    ids = set(scope.aggregate_programme_ids)
    if scope.record_org_ids:
        ids |= set(
            Partner.objects.filter(organisation_id__in=scope.record_org_ids).values_list(
                "programme_id", flat=True
            )
        )
    return list(Programme.objects.filter(pk__in=ids).order_by("name"))


def _programme(request: HttpRequest, programme_id: int) -> Programme:
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None or programme not in viewable_programmes(request.user):
        raise Http404
    return programme


def _partner(request: HttpRequest, programme: Programme, partner_id: Any) -> Partner | None:
    if partner_id in (None, ""):
        return None
    try:
        partner = (
            Partner.objects.select_related("organisation")
            .filter(programme=programme, pk=int(partner_id))
            .first()
        )
    except (TypeError, ValueError):
        partner = None
    if partner is None:
        raise Http404
    scope = scope_for(request.user)
    if programme.pk not in scope.aggregate_programme_ids and (
        partner.organisation_id not in scope.record_org_ids
    ):
        raise Http404
    return partner


def _track(programme: Programme, track_id: Any) -> Track | None:
    if track_id in (None, ""):
        return None
    try:
        track = Track.objects.filter(programme=programme, pk=int(track_id)).first()
    except (TypeError, ValueError):
        track = None
    if track is None:
        raise Http404
    return track


def _period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    form = PeriodForm(request.GET or None)
    return form, form.period()


def _filter_query(partner: Partner | None, track: Track | None, period: Period | None) -> str:
    from urllib.parse import urlencode

    params: dict[str, Any] = {}
    if partner is not None:
        params["partner"] = partner.pk
    if track is not None:
        params["track"] = track.pk
    if period is not None:
        if period.start != period.start.min:
            params["start"] = period.start.isoformat()
        if period.end != period.end.max:
            params["end"] = period.end.isoformat()
    return urlencode(params)


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "reporting/index.html", {"programmes": viewable_programmes(request.user)}
    )


def dashboard(
    request: HttpRequest,
    programme_id: int,
    partner_id: int | None = None,
    track_id: int | None = None,
) -> HttpResponse:
    programme = _programme(request, programme_id)
    partner = _partner(request, programme, partner_id)
    track = _track(programme, track_id)
    form, period = _period(request)
    try:
        results = compute_indicators(
            actor=request.user, programme=programme, partner=partner, track=track, period=period
        )
    except NotAllowed as error:
        raise Http404 from error
    scope = scope_for(request.user)
    # Targets are set for the programme and for partners, not for tracks.
    goals = (
        goal_services.goal_fulfilment(programme=programme, partner=partner, results=results)
        if track is None
        else []
    )
    months = enrollments_by_month(
        actor=request.user, programme=programme, partner=partner, track=track, period=period
    )
    peak = max((m.count or 0 for m in months), default=0) or 1
    exits = [r for r in results if r.code.startswith("exit.")]
    exit_total = results.get("exits")
    partners = (
        partner_numbers(actor=request.user, programme=programme, track=track, period=period)
        if partner is None
        else []
    )
    attendance = attendance_overview(
        actor=request.user, programme=programme, partner=partner, track=track, period=period
    )
    groups: dict[str, list[Any]] = {}
    for result in results:
        if result.indicator.group in {"amif", "esf_plus", "programme"}:
            groups.setdefault(result.indicator.group, []).append(result)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "programme": programme,
            "partner": partner,
            "track": track,
            "form": form,
            "period": period,
            "results": results,
            "goals": goals,
            "months": [(m, f"{(m.count or 0) * 100 / peak:.1f}") for m in months],
            "exits": exits,
            "exit_total": exit_total,
            "participants": results.get("participants"),
            "partners": partners,
            "tracks": Track.objects.filter(programme=programme),
            "attendance": attendance,
            "indicator_groups": [
                (_("AMIF common indicators"), groups.get("amif", [])),
                (_("ESF+ common indicators"), groups.get("esf_plus", [])),
                (_("Programme indicators"), groups.get("programme", [])),
            ],
            "filter_query": _filter_query(partner, track, period),
            "record_access": results.record_access,
            "can_manage_targets": goal_services.can_manage_targets(request.user, programme),
            "can_register": programme.pk in scope.aggregate_programme_ids
            or (partner is not None and partner.pk in scope.coordinator_partner_ids),
            "can_final_report": track is None
            and _may_see_final_report(request.user, programme, partner),
            "formats": FORMATS,
        },
    )


def _month(text: str) -> Period | None:
    """``YYYY-MM`` as the period of that month; None for empty, 404 for nonsense."""
    import calendar
    import datetime

    if not text:
        return None
    try:
        year, month = (int(part) for part in text.split("-"))
        first = datetime.date(year, month, 1)
    except ValueError as error:
        raise Http404 from error
    return Period(first, first.replace(day=calendar.monthrange(year, month)[1]))


def numbers(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The enrollments behind one number of a dashboard, as far as the viewer may see them."""
    programme = _programme(request, programme_id)
    partner = _partner(request, programme, request.GET.get("partner"))
    track = _track(programme, request.GET.get("track"))
    _form, period = _period(request)
    code = request.GET.get("code", "")
    part = request.GET.get("part", "numerator")
    indicator = REGISTRY.get(code)
    if (
        indicator is None
        or programme.fund not in indicator.funds
        or part not in DRILL_PARTS
        or indicator.counts == "entity"
    ):
        raise Http404
    started = _month(request.GET.get("started", ""))
    try:
        enrollments, record_access = enrollments_behind(
            actor=request.user,
            programme=programme,
            code=code,
            part=part,
            partner=partner,
            track=track,
            period=period,
            started=started,
        )
    except NotAllowed as error:
        raise Http404 from error
    people = enrollments.aggregate(n=Count("participant", distinct=True))["n"]
    suppressed = not record_access and 0 < people <= SUPPRESSION_LIMIT
    page = None
    if not suppressed:
        listing = enrollments.select_related(
            "participant", "partner__organisation", "unit", "exit"
        ).order_by("start_date", "pk")
        page = Paginator(listing, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        log_event(
            actor=request.user,
            action=Action.VIEW,
            part=Part.RECORD if record_access else Part.OVERVIEW,
            organisation_id=acting_organisation_id(request.user, None),
            summary=f"indicator list {code} {part}: {page.paginator.count} enrollments"[:200],
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/numbers.html",
        {
            "programme": programme,
            "partner": partner,
            "track": track,
            "period": period,
            "indicator": indicator,
            "part": part,
            "started": started,
            "people": people,
            "suppressed": suppressed,
            "page_obj": page,
            "record_access": record_access,
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "back_query": _filter_query(partner, None, period),
        },
    )


def export(request: HttpRequest, programme_id: int, fmt: str) -> HttpResponse:
    programme = _programme(request, programme_id)
    if fmt not in FORMATS:
        raise Http404
    partner = _partner(request, programme, request.GET.get("partner"))
    track = _track(programme, request.GET.get("track"))
    _form, period = _period(request)
    try:
        results = compute_indicators(
            actor=request.user, programme=programme, partner=partner, track=track, period=period
        )
    except NotAllowed as error:
        raise Http404 from error
    response = HttpResponse(export_indicators(results, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"indicators-{programme.code}{f'-{partner.pk}' if partner else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def targets(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    if not goal_services.can_manage_targets(request.user, programme):
        raise Http404
    form = TargetForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal_services.target_save(
                actor=request.user,
                programme=programme,
                partner=data["partner"],
                indicator=data["indicator"],
                value=data["value"],
                label=data["label"],
                women=data["women"],
                men=data["men"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("reporting:targets", programme_id=programme.pk)
    rows = Target.objects.filter(programme=programme).select_related("partner__organisation")
    return render(
        request,
        "reporting/targets.html",
        {
            "programme": programme,
            "form": form,
            "targets": [(t, REGISTRY.get(t.indicator)) for t in rows],
        },
    )


@require_POST
def target_delete(request: HttpRequest, programme_id: int, target_id: int) -> HttpResponse:
    programme = _programme(request, programme_id)
    if not goal_services.can_manage_targets(request.user, programme):
        raise Http404
    target = Target.objects.filter(programme=programme, pk=target_id).first()
    if target is None:
        raise Http404
    goal_services.target_delete(actor=request.user, target=target)
    messages.success(request, _("The target was removed."))
    return redirect("reporting:targets", programme_id=programme.pk)


def participant_register(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The AMIF participant register: full for the owning partner, pseudonymised above it."""
    from .register import participant_register_xlsx

    programme = _programme(request, programme_id)
    partner = _partner(request, programme, request.GET.get("partner"))
    try:
        data = participant_register_xlsx(actor=request.user, programme=programme, partner=partner)
    except NotAllowed as error:
        raise Http404 from error
    response = HttpResponse(data, content_type=CONTENT_TYPES["xlsx"])
    name = f"participant-register-{programme.code}{f'-{partner.pk}' if partner else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _may_see_final_report(actor: Any, programme: Programme, partner: Partner | None) -> bool:
    """The whole report of its scope: the programme's for aggregate viewers, a partner's for
    them and the partner's coordinators (staff would see only their unit's part of it)."""
    scope = scope_for(actor)
    if programme.pk in scope.aggregate_programme_ids:
        return True
    return partner is not None and partner.pk in scope.coordinator_partner_ids


def final_report(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The final report's results (from data) and its written sections (edited here)."""
    from .final_report import build_final_report
    from .forms import NarrativeForm

    programme = _programme(request, programme_id)
    partner = _partner(request, programme, request.GET.get("partner"))
    if not _may_see_final_report(request.user, programme, partner):
        raise Http404
    can_edit = goal_services.can_edit_narrative(request.user, programme, partner)
    form = None
    if can_edit:
        form = NarrativeForm(
            request.POST or None, initial=goal_services.narratives_of(programme, partner)
        )
        if request.method == "POST" and form.is_valid():
            goal_services.narrative_save(
                actor=request.user, programme=programme, partner=partner, texts=form.cleaned_data
            )
            messages.success(request, _("The final report was saved."))
            url = reverse("reporting:final_report", args=[programme.pk])
            return redirect(f"{url}?partner={partner.pk}" if partner else url)
    elif request.method == "POST":
        raise Http404
    try:
        report = build_final_report(actor=request.user, programme=programme, partner=partner)
    except NotAllowed as error:
        raise Http404 from error
    return render(
        request,
        "reporting/final_report.html",
        {
            "programme": programme,
            "partner": partner,
            "report": report,
            "form": form,
            "partner_query": f"?partner={partner.pk}" if partner else "",
        },
    )


def final_report_file(request: HttpRequest, programme_id: int, fmt: str) -> HttpResponse:
    from .final_report import build_final_report, render_docx, render_pdf

    programme = _programme(request, programme_id)
    partner = _partner(request, programme, request.GET.get("partner"))
    renderers = {
        "pdf": (render_pdf, "application/pdf"),
        "docx": (
            render_docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    }
    if fmt not in renderers or not _may_see_final_report(request.user, programme, partner):
        raise Http404
    try:
        report = build_final_report(actor=request.user, programme=programme, partner=partner)
    except NotAllowed as error:
        raise Http404 from error
    render_file, content_type = renderers[fmt]
    response = HttpResponse(render_file(report), content_type=content_type)
    name = f"final-report-{programme.code}{f'-{partner.pk}' if partner else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
