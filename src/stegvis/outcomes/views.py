"""Exit and follow-up pages. Thin: fetch through the access layer, parse with a form, call a
service. Only the owning organisation records exits and follow-ups; everyone else gets 404."""

from __future__ import annotations

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

from . import selectors, services
from .forms import ExitForm, FollowUpForm
from .models import FOLLOW_UP_FIELDS


def _own_enrollment(request: HttpRequest, pk: int) -> Enrollment:
    """The enrollment if it is the actor's own organisation's; 404 otherwise (logged only then)."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, log=False)
    if not is_own(request.user, enrollment):
        raise Http404
    log_read(actor=request.user, obj=enrollment, part=Part.RECORD)
    return enrollment


def exit_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the exit; once recorded, show it."""
    enrollment = _own_enrollment(request, pk)
    existing = selectors.exit_of(enrollment)
    form = None
    if existing is None:
        form = ExitForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.exit_record(actor=request.user, enrollment=enrollment, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The exit was recorded."))
                return redirect("participants:detail", pk=enrollment.pk)
    return render(
        request,
        "outcomes/exit.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "exit": existing,
            "form": form,
        },
    )


def followup_record(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = _own_enrollment(request, pk)
    follow_up = selectors.follow_up_of(enrollment)
    if follow_up is None:
        raise Http404
    initial = model_to_dict(follow_up, fields=FOLLOW_UP_FIELDS)
    form = FollowUpForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(actor=request.user, follow_up=follow_up, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("participants:detail", pk=enrollment.pk)
    return render(
        request,
        "outcomes/followup.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "follow_up": follow_up,
            "form": form,
        },
    )


def followups_due(request: HttpRequest) -> HttpResponse:
    """Open follow-ups of the user's own enrollments, overdue first."""
    if not scope_for(request.user).has_record_access:
        raise Http404
    today = timezone.localdate()
    page = Paginator(
        selectors.follow_ups_due(actor=request.user, today=today), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "outcomes/followups_due.html",
        {
            "page_obj": page,
            "query_without_page": "",
            "today": today,
            "due_soon_days": selectors.DUE_SOON_DAYS,
        },
    )
