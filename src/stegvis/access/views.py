from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .scope import scope_for
from .selectors import events_for_coordinator


def access_log(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).coordinator_partner_ids:
        raise Http404
    page = Paginator(events_for_coordinator(actor=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "access/log.html", {"page_obj": page, "query_without_page": ""})
