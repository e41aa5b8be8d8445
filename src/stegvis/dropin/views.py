"""Drop-in pages: the quick registration page (made for a phone), the monthly summary per
unit, and registering one participant's visit. Thin: forms, selectors and services."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.access.models import Part
from stegvis.access.policy import get_for_actor, is_own, log_read
from stegvis.organisations.models import Unit
from stegvis.participants.models import Enrollment

from . import selectors, services
from .forms import ParticipantVisitForm, QuickVisitForm, SummaryForm
from .models import Topic


def _units(request: HttpRequest) -> list[Unit]:
    units = list(selectors.units_for_dropin(request.user))
    if not units:
        raise Http404
    return units


def _chosen_unit(request: HttpRequest, units: list[Unit]) -> Unit:
    wanted = request.GET.get("unit", "")
    return next((unit for unit in units if str(unit.pk) == wanted), units[0])


def register_visits(request: HttpRequest) -> HttpResponse:
    """Tap a topic to register that many visitors at the unit today (or on the date given)."""
    units = _units(request)
    unit = _chosen_unit(request, units)
    queryset = selectors.units_for_dropin(request.user)
    if request.method == "POST":
        form = QuickVisitForm(request.POST, units=queryset)
        if form.is_valid():
            try:
                services.dropin_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                data = form.cleaned_data
                messages.success(
                    request,
                    ngettext(
                        "Registered %(count)s visitor: %(topic)s.",
                        "Registered %(count)s visitors: %(topic)s.",
                        data["visitors"],
                    )
                    % {"count": data["visitors"], "topic": Topic(data["topic"]).label},
                )
                url = reverse("dropin:register") + "?" + urlencode({"unit": data["unit"].pk})
                return redirect(url)
    else:
        form = QuickVisitForm(units=queryset, initial={"unit": unit.pk})
    today = timezone.localdate()
    return render(
        request,
        "dropin/register.html",
        {
            "form": form,
            "unit": unit,
            "topics": Topic.choices,
            "several_units": len(units) > 1,
            "today_summary": selectors.visit_summary(
                unit=unit, start=today, end=today + datetime.timedelta(days=1)
            ),
        },
    )


def summary(request: HttpRequest) -> HttpResponse:
    """Visitors per topic at one unit in one month."""
    units = _units(request)
    today = timezone.localdate()
    unit, month = units[0], today.replace(day=1)
    form = SummaryForm(
        request.GET or None,
        units=selectors.units_for_dropin(request.user),
        initial={"unit": unit.pk, "month": month},
    )
    if form.is_valid():
        unit, month = form.cleaned_data["unit"], form.cleaned_data["month"].replace(day=1)
    elif request.GET:
        unit = _chosen_unit(request, units)
    start, end = selectors.month_bounds(month)
    previous = (start - datetime.timedelta(days=1)).replace(day=1)
    return render(
        request,
        "dropin/summary.html",
        {
            "form": form,
            "unit": unit,
            "month": start,
            "summary": selectors.visit_summary(unit=unit, start=start, end=end),
            "previous_query": urlencode({"unit": unit.pk, "month": f"{previous:%Y-%m}"}),
            "next_query": urlencode({"unit": unit.pk, "month": f"{end:%Y-%m}"})
            if end <= today
            else "",
        },
    )


def participant_visit(request: HttpRequest, pk: int) -> HttpResponse:
    """Register a drop-in visit of one participant of the user's own organisation."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, log=False)
    if not is_own(request.user, enrollment):
        raise Http404
    log_read(actor=request.user, obj=enrollment, part=Part.RECORD)
    units = selectors.units_for_dropin(request.user).filter(
        organisation_id=enrollment.unit.organisation_id
    )
    form = ParticipantVisitForm(
        request.POST if request.method == "POST" else None,
        units=units,
        initial={"unit": enrollment.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dropin_record_for(
                actor=request.user, enrollment=enrollment, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The drop-in visit was registered."))
            return redirect("participants:detail", pk=enrollment.pk)
    return render(
        request,
        "dropin/participant.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "form": form,
            "visits": selectors.visits_of(actor=request.user, enrollment=enrollment)[:20],
        },
    )
