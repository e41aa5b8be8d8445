"""Participant pages. Thin: parse with a form, call a selector or service, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stegvis.access.audit import log_event
from stegvis.access.models import Action, Part
from stegvis.access.policy import (
    acting_organisation_id,
    can_edit_enrollment,
    enrollments_for,
    get_for_actor,
)
from stegvis.access.scope import scope_for
from stegvis.access.selectors import events_for_participant
from stegvis.activities.selectors import participations_of
from stegvis.consents.selectors import shared_parts, shared_with_us
from stegvis.mapping.selectors import mapping_summary
from stegvis.organisations.models import Track
from stegvis.plans.selectors import checkin_summary, plan_summary

from . import selectors, services
from .forms import (
    EligibilityCheckForm,
    EnrollmentEditForm,
    EnrollmentForm,
    ParticipantFilterForm,
    ParticipantForm,
)
from .models import Enrollment

# Parts of the record the own organisation works with, in the order the page lists them.
OWN_PARTS = [Part.MAPPING, Part.PLAN, Part.CHECKINS, Part.NOTES, Part.SENSITIVE]


def _require_record_access(request: HttpRequest) -> None:
    if not scope_for(request.user).has_record_access:
        raise Http404


def participant_list(request: HttpRequest) -> HttpResponse:
    _require_record_access(request)
    form = ParticipantFilterForm(
        request.GET or None, choices=selectors.filter_choices(actor=request.user)
    )
    filters = selectors.EnrollmentFilters()
    if form.is_valid():
        filters = selectors.EnrollmentFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    enrollments = selectors.enrollment_list(actor=request.user, filters=filters)
    page = Paginator(enrollments, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    if filters.q:
        # Searching is a read of the registry: log that it happened, not what was searched.
        log_event(
            actor=request.user,
            action=Action.SEARCH,
            organisation_id=acting_organisation_id(request.user, None),
            summary=f"{page.paginator.count} hits",
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "participants/list.html",
        {
            "form": form,
            "page_obj": page,
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
        },
    )


def participant_create(request: HttpRequest) -> HttpResponse:
    partners = selectors.partners_for_enrollment(actor=request.user)
    units = selectors.enrollment_options(actor=request.user)
    if not partners.exists():
        raise Http404
    person_form = ParticipantForm(request.POST or None, prefix="person")
    enrollment_form = EnrollmentForm(
        request.POST or None, prefix="enrollment", partners=partners, units=units
    )
    duplicate: Enrollment | None = None
    if request.method == "POST" and person_form.is_valid() and enrollment_form.is_valid():
        data = enrollment_form.cleaned_data
        try:
            result = services.participant_enroll(
                actor=request.user,
                person=person_form.person_data(),
                partner=data["partner"],
                unit=data["unit"],
                track=data["track"],
                start_date=data["start_date"],
                external_id=data["external_id"],
            )
        except services.DuplicateEnrollment as error:
            visible = enrollments_for(request.user).filter(pk=error.existing.pk).first()
            duplicate = visible
            person_form.add_error("identity_number", error)
        except ValidationError as error:
            enrollment_form.add_error(None, error)
        else:
            enrollment = result.enrollment
            if result.reused_person:
                messages.info(
                    request,
                    _(
                        "The person was already in the registry: their record was updated "
                        "and enrolled."
                    ),
                )
            hint = selectors.possible_duplicates(
                actor=request.user, participant=enrollment.participant
            )
            if hint.count:
                messages.warning(
                    request,
                    ngettext(
                        "Possible duplicate: %(count)s other person in the registry has the "
                        "same name and date of birth.",
                        "Possible duplicate: %(count)s other people in the registry have the "
                        "same name and date of birth.",
                        hint.count,
                    )
                    % {"count": hint.count},
                )
            messages.success(request, _("The participant was enrolled."))
            return redirect("participants:detail", pk=enrollment.pk)
    return render(
        request,
        "participants/form.html",
        {
            "person_form": person_form,
            "enrollment_form": enrollment_form,
            "duplicate": duplicate,
            "creating": True,
        },
    )


def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The own organisation's full page, or the consented overview for another organisation."""
    own = enrollments_for(request.user, part=Part.RECORD).filter(pk=pk).exists()
    if not own:
        return _shared_detail(request, pk)
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk)
    participant = enrollment.participant
    return render(
        request,
        "participants/detail.html",
        {
            "enrollment": enrollment,
            "participant": participant,
            "other_enrollments": selectors.other_enrollments(
                actor=request.user, enrollment=enrollment
            ),
            "duplicates": selectors.possible_duplicates(
                actor=request.user, participant=participant
            ),
            "checks": enrollment.eligibility_checks.select_related("checked_by"),
            "can_edit": can_edit_enrollment(request.user, enrollment),
            "can_see_log": enrollment.partner_id in scope_for(request.user).coordinator_partner_ids,
            "own_parts": OWN_PARTS,
            "mapping_summary": mapping_summary(actor=request.user, enrollment=enrollment),
            "plan_summary": plan_summary(request.user, enrollment),
            "checkin_summary": checkin_summary(request.user, enrollment),
            "participations": participations_of(actor=request.user, enrollment=enrollment),
        },
    )


def _shared_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.OVERVIEW)
    return render(
        request,
        "participants/shared_detail.html",
        {
            "enrollment": enrollment,
            "participant": enrollment.participant,
            "shared": shared_parts(actor=request.user, enrollment=enrollment),
        },
    )


def shared_list(request: HttpRequest) -> HttpResponse:
    """Participants of other organisations shared with the user's by consent."""
    _require_record_access(request)
    page = Paginator(shared_with_us(actor=request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "participants/shared_list.html", {"page_obj": page, "query_without_page": ""}
    )


def participant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk)
    if not can_edit_enrollment(request.user, enrollment):
        raise Http404
    participant = enrollment.participant
    units = selectors.enrollment_options(actor=request.user).filter(
        organisation_id=enrollment.partner.organisation_id
    )
    tracks = Track.objects.filter(programme_id=enrollment.programme_id)
    person_form = ParticipantForm(request.POST or None, instance=participant, prefix="person")
    enrollment_form = EnrollmentEditForm(
        request.POST or None,
        prefix="enrollment",
        units=units,
        tracks=tracks,
        initial={
            "unit": enrollment.unit,
            "track": enrollment.track,
            "start_date": enrollment.start_date,
            "external_id": enrollment.external_id,
        },
    )
    if request.method == "POST" and person_form.is_valid() and enrollment_form.is_valid():
        try:
            changes = services.participant_update(
                actor=request.user,
                enrollment=enrollment,
                person=person_form.person_data(),
                enrollment_data=enrollment_form.cleaned_data,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                person_form.add_error(None, error)
            else:
                enrollment_form.add_error(None, error)
        else:
            if changes:
                messages.success(request, _("The changes were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("participants:detail", pk=enrollment.pk)
    return render(
        request,
        "participants/form.html",
        {
            "person_form": person_form,
            "enrollment_form": enrollment_form,
            "enrollment": enrollment,
            "creating": False,
        },
    )


def eligibility_check_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk)
    if not can_edit_enrollment(request.user, enrollment):
        raise Http404
    form = EligibilityCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.eligibility_check_record(
            actor=request.user, enrollment=enrollment, **form.cleaned_data
        )
        messages.success(request, _("The eligibility check was recorded."))
        return redirect("participants:detail", pk=enrollment.pk)
    return render(
        request, "participants/eligibility_form.html", {"form": form, "enrollment": enrollment}
    )


def participant_log(request: HttpRequest, pk: int) -> HttpResponse:
    """The access log of one participant, for their partner's coordinators."""
    enrollment = get_for_actor(Enrollment, actor=request.user, pk=pk, part=Part.AUDIT)
    if enrollment.partner_id not in scope_for(request.user).coordinator_partner_ids:
        raise Http404

    events = Paginator(
        events_for_participant(actor=request.user, participant_id=enrollment.participant_id),
        settings.PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/log.html",
        {"enrollment": enrollment, "page_obj": events, "query_without_page": ""},
    )
