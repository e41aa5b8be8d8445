"""Activity pages. Thin: fetch through the selectors, parse with a form, call a service.

An activity the viewer may not see is "not found" (404), the same as a missing one.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from stegvis.access.models import Part
from stegvis.access.policy import get_for_actor
from stegvis.access.scope import scope_for

from . import figures, selectors, services
from .forms import (
    ActivityForm,
    ActivityTypeForm,
    AttendanceForm,
    ParticipationAddForm,
    ParticipationEndForm,
    SessionForm,
    SessionPatternForm,
)
from .models import Activity, ActivityType, Participation, Session

# Sessions shown on the activity page around today (the full list is paginated).
UPCOMING = 5


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
        {
            "page_obj": page,
            "query_without_page": "",
            "can_create": can_create,
            "today_sessions": selectors.sessions_on(actor=request.user, day=localdate())[:20],
        },
    )


def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    today = localdate()
    participations = selectors.visible_participations(actor=request.user, activity=activity)
    page = Paginator(participations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    # Figures for this page's participants only: two grouped queries on indexed columns.
    on_page = figures.figures_by(
        participations.filter(pk__in=[p.pk for p in page]), key="pk", today=today
    )
    rows = [(p, on_page.get(p.pk, figures.Figures())) for p in page]
    sessions = selectors.sessions_of(activity=activity)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "staff": activity.staff.order_by("last_name", "first_name"),
            "page_obj": page,
            "rows": rows,
            "query_without_page": "",
            "total": figures.totals(participations, today=today),
            "recent_sessions": list(sessions.filter(date__lte=today).reverse()[:UPCOMING])[::-1],
            "next_sessions": sessions.filter(date__gt=today)[:UPCOMING],
            "today": today,
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


def participation_end(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_for_actor(
        Participation, actor=request.user, pk=participation_id, part=Part.RECORD
    )
    if participation.end_date is not None:
        raise Http404
    form = ParticipationEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_end(
                actor=request.user, participation=participation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The participation was ended."))
            return redirect("activities:detail", activity_id=participation.activity_id)
    return render(
        request,
        "activities/end_participation.html",
        {"participation": participation, "activity": participation.activity, "form": form},
    )


# --- Sessions ----------------------------------------------------------------------------


def _session(request: HttpRequest, session_id: int) -> Session:
    session = selectors.session_get(actor=request.user, session_id=session_id)
    if session is None:
        raise Http404
    return session


def session_list(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    sessions = selectors.sessions_with_marks(actor=request.user, activity=activity)
    page = Paginator(sessions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/sessions.html",
        {"activity": activity, "page_obj": page, "query_without_page": "", "today": localdate()},
    )


def sessions_generate(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    form = SessionPatternForm(request.POST if request.method == "POST" else None, activity=activity)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.sessions_generate(
                actor=request.user, activity=activity, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(created)d session was added (%(skipped)d days already had one).",
                    "%(created)d sessions were added (%(skipped)d days already had one).",
                    result.created,
                )
                % {"created": result.created, "skipped": result.skipped},
            )
            return redirect("activities:sessions", activity_id=activity.pk)
    return render(request, "activities/generate.html", {"activity": activity, "form": form})


def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    form = SessionForm(request.POST if request.method == "POST" else None, instance=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("activities:sessions", activity_id=session.activity_id)
    elif request.method == "POST":
        # ModelForm validation wrote the bad values on the instance: start again from the row.
        session = _session(request, session_id)
    return render(
        request,
        "activities/session_edit.html",
        {"session": session, "activity": session.activity, "form": form},
    )


def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """The register of one session: everyone the viewer may mark, one save, undo afterwards."""
    session = _session(request, session_id)
    participations = list(selectors.session_participations(actor=request.user, session=session))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        participations=participations,
        session=session,
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.attendance_save(
                actor=request.user,
                session=session,
                marks=form.marks(
                    everyone_present="everyone_present" in request.POST,
                    default_hours=session.hours,
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            if batch is None:
                messages.info(request, _("Nothing had changed."))
            else:
                messages.success(request, _("The attendance was saved."))
            return redirect("activities:attendance", session_id=session.pk)
    batch = services.latest_batch(session)
    return render(
        request,
        "activities/attendance.html",
        {
            "session": session,
            "activity": session.activity,
            "form": form,
            "rows": form.bound_rows(),
            "undo": batch if batch is not None and batch.undone_at is None else None,
            "can_mark": not session.cancelled and session.date <= localdate(),
        },
    )


@require_POST
def attendance_undo(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    try:
        batch_id = int(request.POST.get("batch", ""))
    except ValueError:
        batch_id = 0
    try:
        services.attendance_undo(actor=request.user, session=session, batch_id=batch_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The save was undone: the previous marks are back."))
    return redirect("activities:attendance", session_id=session.pk)


# --- Figures -----------------------------------------------------------------------------


def figures_summary(request: HttpRequest) -> HttpResponse:
    """Attendance per partner and per activity type, over the participants the viewer sees."""
    _require_record_access(request)
    today = localdate()
    participations = selectors.figure_participations(actor=request.user)
    groups = figures.figures_by(
        participations, key=("activity__partner", "activity__activity_type"), today=today
    )
    by_partner, by_type = figures.rollup(groups, 0), figures.rollup(groups, 1)
    names = selectors.figure_names(partner_ids=by_partner, type_ids=by_type)
    return render(
        request,
        "activities/figures.html",
        {
            "by_partner": sorted(
                ((names.partners[k], v) for k, v in by_partner.items()), key=lambda r: r[0]
            ),
            "by_type": sorted(
                ((names.types[k], v) for k, v in by_type.items()), key=lambda r: r[0]
            ),
            "total": figures.overall(groups),
            "today": today,
        },
    )


# --- Catalogue ---------------------------------------------------------------------------


def _require_catalogue(request: HttpRequest) -> None:
    if not selectors.catalogue_programmes(actor=request.user).exists():
        raise Http404


def catalogue_list(request: HttpRequest) -> HttpResponse:
    _require_catalogue(request)
    page = Paginator(selectors.catalogue(actor=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "activities/catalogue.html", {"page_obj": page, "query_without_page": ""}
    )


def _catalogue_form(request: HttpRequest, activity_type: ActivityType | None) -> HttpResponse:
    programmes = selectors.catalogue_programmes(actor=request.user)
    form = ActivityTypeForm(
        request.POST if request.method == "POST" else None,
        instance=activity_type,
        programmes=programmes,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_type_save(
                actor=request.user,
                activity_type=activity_type,
                programme=data["programme"],
                name=data["name"],
                description=data["description"],
                funder_category=data["funder_category"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The catalogue was saved."))
            return redirect("activities:catalogue")
    return render(
        request,
        "activities/catalogue_form.html",
        {"form": form, "activity_type": activity_type},
    )


def catalogue_create(request: HttpRequest) -> HttpResponse:
    _require_catalogue(request)
    return _catalogue_form(request, None)


def _catalogue_entry(request: HttpRequest, type_id: int) -> ActivityType:
    entry = selectors.catalogue(actor=request.user).filter(pk=type_id).first()
    if entry is None:
        raise Http404
    return entry


def catalogue_edit(request: HttpRequest, type_id: int) -> HttpResponse:
    return _catalogue_form(request, _catalogue_entry(request, type_id))


@require_POST
def catalogue_delete(request: HttpRequest, type_id: int) -> HttpResponse:
    entry = _catalogue_entry(request, type_id)
    try:
        services.activity_type_delete(actor=request.user, activity_type=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The type was removed from the catalogue."))
    return redirect("activities:catalogue")
