from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from stegvis.participants.models import Enrollment

from .models import Part
from .policy import get_for_actor
from .scope import scope_for
from .selectors import events_for_coordinator, seen_by_events


def access_log(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).coordinator_partner_ids:
        raise Http404
    page = Paginator(events_for_coordinator(actor=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "access/log.html", {"page_obj": page, "query_without_page": ""})


def seen_by(request: HttpRequest, pk: int) -> HttpResponse:
    """'Who has seen my data': the participant's own access log, printable, in plain words."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.AUDIT)
    if enrollment.partner_id not in scope_for(request.user).coordinator_partner_ids:
        raise Http404
    return render(
        request,
        "access/seen_by.html",
        {
            "enrollment": enrollment,
            "events": seen_by_events(actor=request.user, enrollment=enrollment),
        },
    )
