from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from stegvis.access.scope import scope_for
from stegvis.activities.selectors import sessions_on
from stegvis.participants import selectors as participant_selectors
from stegvis.plans.selectors import open_action_counts
from stegvis.reporting.selectors import aggregate_programmes_for, programme_overview

TODAY_SESSIONS = 10


def home(request: HttpRequest) -> HttpResponse:
    """One page, different content per role: records for staff, aggregates for managers."""
    scope = scope_for(request.user)
    context: dict = {"scope": scope}
    if scope.has_record_access:
        context["caseload"] = participant_selectors.caseload_summary(actor=request.user)
        context["recent"] = participant_selectors.recent_enrollments(actor=request.user)
        context["actions"] = open_action_counts(request.user)
        # A teacher opens Stegvis on the phone to take attendance: today's sessions first.
        context["today_sessions"] = list(
            sessions_on(actor=request.user, day=timezone.localdate())[:TODAY_SESSIONS]
        )
    if scope.has_aggregate_access:
        context["overviews"] = [
            programme_overview(actor=request.user, programme=programme)
            for programme in aggregate_programmes_for(request.user)
        ]
    return render(request, "core/home.html", context)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    # Django's view, reachable before login so the login page can switch language too.
    return django_set_language(request)


@login_not_required
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
