"""Internship and workplace pages. Thin: fetch through the selectors and the access layer,
parse with a form, call a service. An internship is keyed by its enrollment (``pk``) and its
own id; the pair must match, otherwise the page is "not found" like any other."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.models import Part
from stegvis.access.policy import get_for_actor, is_own, log_read
from stegvis.access.scope import scope_for
from stegvis.participants.models import Enrollment
from stegvis.reporting.selectors import suppress

from . import selectors, services
from .forms import (
    OutcomeForm,
    PlacementFilterForm,
    PlacementForm,
    VisitForm,
    WorkplaceForm,
    WorkplaceSearchForm,
)
from .models import PLACEMENT_FIELDS, Placement


def _require_record_access(request: HttpRequest) -> None:
    if not scope_for(request.user).has_record_access:
        raise Http404


def _own_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    """The enrollment if it is the actor's own organisation's; 404 otherwise (logged only then)."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, log=False)
    if not is_own(request.user, enrollment):
        raise Http404
    log_read(actor=request.user, obj=enrollment, part=Part.RECORD)
    return enrollment


def _placement(request: HttpRequest, pk: int, placement_id: int) -> Placement:
    placement = get_for_actor(Placement, actor=request.user, pk=placement_id, log=False)
    if placement.enrollment_id != pk or not is_own(request.user, placement.enrollment):
        raise Http404
    log_read(actor=request.user, obj=placement, part=Part.RECORD)
    return placement


def placement_list(request: HttpRequest) -> HttpResponse:
    """The internships of the participants the user works with, filtered."""
    _require_record_access(request)
    form = PlacementFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    placements = selectors.placement_list(
        actor=request.user, state=filters.get("state", ""), outcome=filters.get("outcome", "")
    )
    page = Paginator(placements, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "placements/list.html",
        {
            "form": form,
            "page_obj": page,
            "query_without_page": f"{query}&" if query else "",
            "today": timezone.localdate(),
        },
    )


def workplace_list(request: HttpRequest) -> HttpResponse:
    """Workplaces with how many internships and jobs each gave (scoped, see selectors)."""
    scope = scope_for(request.user)
    if not (scope.has_record_access or scope.has_aggregate_access):
        raise Http404
    form = WorkplaceSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(
        selectors.workplace_list(actor=request.user, query=query), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    record_access = not selectors.counts_whole_programme(request.user)
    for workplace in page:
        workplace.placements_shown = suppress(  # type: ignore[attr-defined]
            workplace.placement_count,  # type: ignore[attr-defined]
            record_access=record_access,
        )
        workplace.jobs_shown = suppress(  # type: ignore[attr-defined]
            workplace.job_count,  # type: ignore[attr-defined]
            record_access=record_access,
        )
    return render(
        request,
        "placements/workplaces.html",
        {
            "form": form,
            "page_obj": page,
            "query_without_page": urlencode({"q": query}) + "&" if query else "",
            "record_access": record_access,
            "can_create": scope.has_record_access,
        },
    )


def workplace_create(request: HttpRequest) -> HttpResponse:
    _require_record_access(request)
    partners = selectors.partners_for_workplaces(request.user).select_related(
        "programme", "organisation"
    )
    form = WorkplaceForm(request.POST if request.method == "POST" else None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            workplace = services.workplace_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The workplace was added."))
            return redirect("placements:workplace_detail", workplace_id=workplace.pk)
    return render(request, "placements/workplace_create.html", {"form": form})


def workplace_detail(request: HttpRequest, workplace_id: int) -> HttpResponse:
    """The workplace; for record roles, the internships there of participants they may see."""
    workplace = selectors.workplace_get(actor=request.user, workplace_id=workplace_id)
    if workplace is None:
        raise Http404
    record_access = not selectors.counts_whole_programme(request.user)
    placements = (
        selectors.placement_list(actor=request.user, workplace_id=workplace.pk)
        if record_access
        else Placement.objects.none()
    )
    page = Paginator(placements, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/workplace_detail.html",
        {
            "workplace": workplace,
            "placements_shown": suppress(workplace.placement_count, record_access=record_access),  # type: ignore[attr-defined]
            "jobs_shown": suppress(workplace.job_count, record_access=record_access),  # type: ignore[attr-defined]
            "record_access": record_access,
            "page_obj": page,
            "query_without_page": "",
            "today": timezone.localdate(),
        },
    )


def placement_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    workplaces = selectors.workplaces_for(request.user).filter(programme_id=enrollment.programme_id)
    form = PlacementForm(
        request.POST if request.method == "POST" else None,
        workplaces=workplaces,
        participations=selectors.internship_participations(
            actor=request.user, enrollment=enrollment
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            placement = services.placement_create(
                actor=request.user, enrollment=enrollment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The internship was registered."))
            return redirect("placements:detail", pk=enrollment.pk, placement_id=placement.pk)
    return render(
        request,
        "placements/create.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "form": form,
            "has_workplaces": workplaces.exists(),
        },
    )


def placement_edit(request: HttpRequest, pk: int, placement_id: int) -> HttpResponse:
    placement = _placement(request, pk, placement_id)
    enrollment = placement.enrollment
    workplaces = selectors.workplaces_for(request.user).filter(programme_id=enrollment.programme_id)
    form = PlacementForm(
        request.POST if request.method == "POST" else None,
        workplaces=workplaces,
        participations=selectors.internship_participations(
            actor=request.user, enrollment=enrollment
        ),
        initial=model_to_dict(placement, fields=PLACEMENT_FIELDS),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.placement_update(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, _("The internship was updated."))
            return redirect("placements:detail", pk=pk, placement_id=placement.pk)
    return render(
        request,
        "placements/create.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "placement": placement,
            "form": form,
            "has_workplaces": True,
        },
    )


def placement_detail(request: HttpRequest, pk: int, placement_id: int) -> HttpResponse:
    placement = _placement(request, pk, placement_id)
    enrollment = placement.enrollment
    return render(
        request,
        "placements/detail.html",
        {
            "placement": placement,
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "visits": selectors.visits_of(placement),
        },
    )


def visit_add(request: HttpRequest, pk: int, placement_id: int) -> HttpResponse:
    placement = _placement(request, pk, placement_id)
    form = VisitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_visit_record(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up visit was recorded."))
            return redirect("placements:detail", pk=pk, placement_id=placement.pk)
    return render(
        request,
        "placements/visit_add.html",
        {
            "placement": placement,
            "enrollment": placement.enrollment,
            "participant": placement.enrollment.participant,
            "form": form,
        },
    )


def outcome_record(request: HttpRequest, pk: int, placement_id: int) -> HttpResponse:
    placement = _placement(request, pk, placement_id)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_record_outcome(
                actor=request.user, placement=placement, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The outcome was recorded."))
            return redirect("placements:detail", pk=pk, placement_id=placement.pk)
    return render(
        request,
        "placements/outcome.html",
        {
            "placement": placement,
            "enrollment": placement.enrollment,
            "participant": placement.enrollment.participant,
            "form": form,
        },
    )
