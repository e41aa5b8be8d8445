"""Activity pages. Thin: fetch through the selectors, parse with a form, call a service.

An activity the viewer may not see is "not found" (404), the same as a missing one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stegvis.access.scope import scope_for

from . import selectors, services
from .forms import ActivityForm, ParticipationAddForm
from .models import Activity


def _require_record_access(request: HttpRequest) -> None:
    if not scope_for(request.user).has_record_access:
        raise Http404


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    if activity is None:
        raise Http404
    return activity


def activity_list(request: HttpRequest) -> HttpResponse:
    _require_record_access(request)
    page = Paginator(selectors.activity_list(actor=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_create = selectors.units_for_activities(actor=request.user).exists()
    return render(
        request,
        "activities/list.html",
        {"page_obj": page, "query_without_page": "", "can_create": can_create},
    )


def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    participations = selectors.visible_participations(actor=request.user, activity=activity)
    page = Paginator(participations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "staff": activity.staff.order_by("last_name", "first_name"),
            "page_obj": page,
            "query_without_page": "",
        },
    )


def activity_create(request: HttpRequest) -> HttpResponse:
    units = selectors.units_for_activities(actor=request.user)
    activity_types = selectors.activity_types_for(actor=request.user)
    if not units.exists():
        raise Http404
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        activity_types=activity_types,
        units=units,
        staff=services.staff_candidates(
            organisation_ids=units.values_list("organisation_id", flat=True)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The activity was created."))
            return redirect("activities:detail", activity_id=activity.pk)
    return render(
        request,
        "activities/create.html",
        {"form": form, "has_catalogue": activity_types.exists()},
    )


def participant_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = ParticipationAddForm(
        request.POST if request.method == "POST" else None,
        enrollments=selectors.enrollments_to_add(actor=request.user, activity=activity),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_add(
                actor=request.user,
                activity=activity,
                enrollment=form.cleaned_data["enrollment"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The participant was added to the activity."))
            return redirect("activities:detail", activity_id=activity.pk)
    return render(request, "activities/add_participant.html", {"activity": activity, "form": form})
