"""The REST API (v1). Thin: validate the query, start from the access layer, log, answer.

Every personal record returned is logged (``audit.py``); details of something the user may
not see answer 404, the same as missing. Roles without record access (programme managers,
analysts) get 403 here and use the aggregate endpoints.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from stegvis.access.models import Part
from stegvis.access.policy import get_for_actor, is_own
from stegvis.access.scope import scope_for
from stegvis.activities import services as activity_services
from stegvis.dropin import selectors as dropin_selectors
from stegvis.organisations.models import Partner, Track
from stegvis.outcomes import services as outcome_services
from stegvis.outcomes.selectors import exit_of
from stegvis.participants import services as participant_services
from stegvis.participants.forms import EnrollmentForm, ParticipantForm
from stegvis.participants.models import Enrollment
from stegvis.participants.selectors import enrollment_options, partners_for_enrollment
from stegvis.placements import selectors as placement_selectors
from stegvis.placements.models import Placement
from stegvis.reporting import indicators
from stegvis.reporting import selectors as reporting
from stegvis.reporting.indicators import Period
from stegvis.reporting.views import viewable_programmes

from . import selectors
from . import serializers as s
from .audit import log_detail, log_rows, own_organisation_id
from .errors import ErrorSerializer, django_validation_error


class HasRecordAccess(permissions.BasePermission):
    message = _(
        "Your role sees aggregate figures only: personal data is not available to you "
        "through the API."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        return scope_for(request.user).has_record_access


class HasDropInUnits(HasRecordAccess):
    """Drop-in visits are counted per unit, not per programme: aggregate roles have none."""

    message = _("Drop-in figures are kept per unit: your role has no unit to see them for.")


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    texts = {
        400: "Invalid input: `errors` names the fields.",
        401: "No valid token or session.",
        403: "Your role may not use this endpoint.",
        404: "Not found, or not yours to see (the same answer).",
        405: "Method not allowed.",
        429: "Too many requests for your budget (STEGVIS_API_RATE): wait Retry-After seconds.",
    }
    # Any authenticated request may meet the per-user budget.
    return {
        code: OpenApiResponse(ErrorSerializer, description=texts[code]) for code in (*codes, 429)
    }


LIST_ERRORS = errors(400, 401, 403, 404)
DETAIL_ERRORS = errors(401, 403, 404)


class RecordListView(generics.ListAPIView):
    """A paginated list of personal records; each returned record is logged as read."""

    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]
    filter_serializer: type[serializers.Serializer]
    part: str = Part.RECORD

    def filters(self) -> dict[str, Any]:
        query = self.filter_serializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)

    def enrollment_of(self, obj: Any) -> Enrollment:
        return obj.enrollment

    def consent_of(self) -> Any:
        return None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page or [])
        log_rows(
            request,
            rows,
            enrollment_of=self.enrollment_of,
            part=self.part,
            consent_of=self.consent_of(),
        )
        serializer = self.get_serializer(rows, many=True)
        return self.get_paginated_response(serializer.data)


@extend_schema_view(
    get=extend_schema(
        tags=["enrollments"],
        parameters=[s.EnrollmentFilterSerializer],
        responses={200: s.EnrollmentSerializer(many=True), **LIST_ERRORS},
    ),
    post=extend_schema(
        tags=["enrollments"],
        request=s.EnrollmentCreateSerializer,
        responses={201: s.EnrollmentSerializer, **errors(400, 401, 403)},
    ),
)
class EnrollmentList(RecordListView):
    """Your organisation's enrollments with the person's registry data.

    GET: staff see their units' enrollments, partner coordinators their organisation's.
    People with protected identity have no name or identity number in the list; the detail
    shows them (and is logged as such). POST: enrol a person (reusing the registry's record
    of them when the identity number is known), checked exactly like the enrollment form.
    """

    serializer_class = s.EnrollmentSerializer
    filter_serializer = s.EnrollmentFilterSerializer

    def get_queryset(self) -> Any:
        return selectors.own_enrollments(actor=self.request.user, filters=self.filters())

    def enrollment_of(self, obj: Any) -> Enrollment:
        return obj

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "mask_protected": True}

    def post(self, request: Request) -> Response:
        data = s.EnrollmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = enroll(actor=request.user, data=dict(data.validated_data))
        return Response(s.EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def enroll(*, actor: Any, data: dict[str, Any]) -> Enrollment:
    """Validate with the pages' own forms (one set of rules), then call the service."""
    person = dict(data.pop("participant"))
    person_form = ParticipantForm({k: _form_value(v) for k, v in person.items()})
    enrollment_form = EnrollmentForm(
        {k: _form_value(v) for k, v in data.items()},
        partners=partners_for_enrollment(actor=actor),
        units=enrollment_options(actor=actor),
    )
    problems: dict[str, Any] = {}
    if not person_form.is_valid():
        problems["participant"] = person_form.errors.get_json_data()
    if not enrollment_form.is_valid():
        problems.update(enrollment_form.errors.get_json_data())
    if problems:
        raise exceptions.ValidationError(
            {
                key: (
                    {f: [e["message"] for e in errs] for f, errs in value.items()}
                    if key == "participant"
                    else [e["message"] for e in value]
                )
                for key, value in problems.items()
            }
        )
    cleaned = enrollment_form.cleaned_data
    try:
        result = participant_services.participant_enroll(
            actor=actor,
            person=person_form.person_data(),
            partner=cleaned["partner"],
            unit=cleaned["unit"],
            track=cleaned["track"],
            start_date=cleaned["start_date"],
            external_id=cleaned["external_id"],
        )
    except participant_services.DuplicateEnrollment as error:
        raise exceptions.ValidationError(
            {"participant": {"identity_number": error.messages}}
        ) from None
    except DjangoValidationError as error:
        raise django_validation_error(error) from None
    return get_for_actor(Enrollment, actor=actor, pk=result.enrollment.pk, log=False)


def _valid_id(value: int) -> int:
    """Ids beyond 64 bits cannot exist: 404 before the database is asked."""
    if not 0 < value <= s.MAX_ID:
        raise Http404
    return value


def _own_enrollment(request: Request, enrollment_id: int) -> Enrollment:
    """An enrollment of the actor's own organisation, or 404 (logging is the caller's)."""
    _valid_id(enrollment_id)
    enrollment = get_for_actor(
        Enrollment, actor=request.user, pk=enrollment_id, part=Part.RECORD, log=False
    )
    if not is_own(request.user, enrollment):
        raise Http404
    return enrollment


class EnrollmentDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]

    @extend_schema(tags=["enrollments"], responses={200: s.EnrollmentSerializer, **DETAIL_ERRORS})
    def get(self, request: Request, enrollment_id: int) -> Response:
        """One enrollment of your organisation, with the person's registry data."""
        enrollment = _own_enrollment(request, enrollment_id)
        log_detail(request, enrollment, enrollment=enrollment)
        return Response(s.EnrollmentSerializer(enrollment).data)


def _consent_of(actor: Any) -> Any:
    record_orgs = scope_for(actor).record_org_ids

    def consent_of(enrollment: Enrollment) -> tuple[int | None, int | None]:
        for consent in enrollment.consents_for_us:  # type: ignore[attr-defined]
            for organisation in consent.organisations.all():
                if organisation.pk in record_orgs:
                    return organisation.pk, consent.pk
        return None, None

    return consent_of


@extend_schema(
    tags=["enrollments"],
    parameters=[s.SharedFilterSerializer],
    responses={200: s.SharedEnrollmentSerializer(many=True), **LIST_ERRORS},
)
class SharedEnrollmentList(RecordListView):
    """Other organisations' enrollments shared with yours by an active consent: the overview
    only (name, birth date, who the person is enrolled with, which parts are shared)."""

    serializer_class = s.SharedEnrollmentSerializer
    filter_serializer = s.SharedFilterSerializer
    part = Part.OVERVIEW

    def get_queryset(self) -> Any:
        return selectors.shared_enrollments(actor=self.request.user, filters=self.filters())

    def enrollment_of(self, obj: Any) -> Enrollment:
        return obj

    def consent_of(self) -> Any:
        return _consent_of(self.request.user)


class SharedEnrollmentDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]

    @extend_schema(
        tags=["enrollments"], responses={200: s.SharedEnrollmentSerializer, **DETAIL_ERRORS}
    )
    def get(self, request: Request, enrollment_id: int) -> Response:
        """The overview of one enrollment shared with your organisation."""
        enrollment = (
            selectors.shared_enrollments(actor=request.user, filters={})
            .filter(pk=_valid_id(enrollment_id))
            .first()
        )
        if enrollment is None:
            raise Http404
        log_detail(request, enrollment, enrollment=enrollment, part=Part.OVERVIEW)
        return Response(s.SharedEnrollmentSerializer(enrollment).data)


@extend_schema(
    tags=["exits"],
    parameters=[s.ExitFilterSerializer],
    responses={200: s.ExitSerializer(many=True), **LIST_ERRORS},
)
class ExitList(RecordListView):
    """Exits of your organisation's enrollments (never shared by consent)."""

    serializer_class = s.ExitSerializer
    filter_serializer = s.ExitFilterSerializer

    def get_queryset(self) -> Any:
        return selectors.own_exits(actor=self.request.user, filters=self.filters())


class EnrollmentExit(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]

    @extend_schema(tags=["exits"], responses={200: s.ExitSerializer, **DETAIL_ERRORS})
    def get(self, request: Request, enrollment_id: int) -> Response:
        """The exit of one of your organisation's enrollments (404 while there is none)."""
        enrollment = _own_enrollment(request, enrollment_id)
        record = exit_of(enrollment)
        if record is None:
            raise Http404
        log_detail(request, record, enrollment=enrollment)
        return Response(s.ExitSerializer(record).data)

    @extend_schema(
        tags=["exits"],
        request=s.ExitSerializer,
        responses={201: s.ExitSerializer, **errors(400, 401, 403, 404)},
    )
    def post(self, request: Request, enrollment_id: int) -> Response:
        """Record how the enrollment ended; it becomes exited and a follow-up is scheduled
        (except for an erroneous registration)."""
        enrollment = _own_enrollment(request, enrollment_id)
        data = s.ExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            record = outcome_services.exit_record(
                actor=request.user, enrollment=enrollment, **data.validated_data
            )
        except DjangoValidationError as error:
            raise django_validation_error(error) from None
        return Response(s.ExitSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema(
    tags=["activities"],
    parameters=[s.ActivityFilterSerializer],
    responses={200: s.ActivitySerializer(many=True), **LIST_ERRORS},
)
class ActivityList(generics.ListAPIView):
    """Activities your units provide (staff) or your organisation's partners provide
    (coordinators). Not personal data: participations are a separate resource."""

    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]
    serializer_class = s.ActivitySerializer

    def get_queryset(self) -> Any:
        query = s.ActivityFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.activities(actor=self.request.user, filters=query.validated_data)


def _activity(request: Request, activity_id: int) -> Any:
    activity = (
        selectors.activities(actor=request.user, filters={})
        .filter(pk=_valid_id(activity_id))
        .first()
    )
    if activity is None:
        raise Http404
    return activity


class ActivityDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]

    @extend_schema(tags=["activities"], responses={200: s.ActivitySerializer, **DETAIL_ERRORS})
    def get(self, request: Request, activity_id: int) -> Response:
        """One activity you may see."""
        return Response(s.ActivitySerializer(_activity(request, activity_id)).data)


@extend_schema_view(
    get=extend_schema(
        tags=["activities"],
        parameters=[s.ParticipationFilterSerializer],
        responses={200: s.ParticipationSerializer(many=True), **LIST_ERRORS},
    ),
    post=extend_schema(
        tags=["activities"],
        request=s.ParticipationCreateSerializer,
        responses={201: s.ParticipationSerializer, **errors(400, 401, 403, 404)},
    ),
)
class ParticipationList(RecordListView):
    """Participations in activities, for the enrollments whose record you may see.

    POST adds one of your organisation's participants to an activity you may see (same
    rules as the activity page: the provider partner's enrollment, within the activity's
    dates and capacity)."""

    serializer_class = s.ParticipationSerializer
    filter_serializer = s.ParticipationFilterSerializer

    def get_queryset(self) -> Any:
        return selectors.participations(actor=self.request.user, filters=self.filters())

    def post(self, request: Request) -> Response:
        data = s.ParticipationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = _activity(request, data.validated_data["activity"])
        enrollment = _own_enrollment(request, data.validated_data["enrollment"])
        try:
            participation = activity_services.participation_add(
                actor=request.user,
                activity=activity,
                enrollment=enrollment,
                start_date=data.validated_data["start_date"],
            )
        except DjangoValidationError as error:
            raise django_validation_error(error) from None
        return Response(
            s.ParticipationSerializer(participation).data, status=status.HTTP_201_CREATED
        )


def _count(count: Any) -> dict[str, Any]:
    return {"value": None if count.suppressed else count.value, "suppressed": count.suppressed}


def _programme(programme: Any) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "name": programme.name,
        "code": programme.code,
        "fund": programme.fund,
        "start_date": programme.start_date,
        "end_date": programme.end_date,
    }


class ProgrammeList(APIView):
    @extend_schema(
        tags=["aggregates"],
        responses={200: s.ProgrammeSerializer(many=True), **errors(401)},
    )
    def get(self, request: Request) -> Response:
        """The programmes you see figures of: as programme manager or analyst, or as a
        partner's staff or coordinator."""
        programmes = sorted(viewable_programmes(request.user), key=lambda p: p.pk)
        return Response(s.ProgrammeSerializer([_programme(p) for p in programmes], many=True).data)


class ProgrammeOverview(APIView):
    @extend_schema(
        tags=["aggregates"],
        responses={200: s.ProgrammeOverviewSerializer, **DETAIL_ERRORS},
    )
    def get(self, request: Request, programme_id: int) -> Response:
        """People enrolled per partner, eligible enrollments only; counts of 1 to 4 are
        suppressed. No personal data."""
        programme = (
            reporting.aggregate_programmes_for(request.user)
            .filter(pk=_valid_id(programme_id))
            .first()
        )
        if programme is None:
            raise Http404
        overview = reporting.programme_overview(actor=request.user, programme=programme)

        def total(value: int) -> dict[str, Any]:
            return _count(reporting.suppress(value, record_access=False))

        data = {
            "programme": _programme(programme),
            "enrolled": total(overview.enrolled),
            "active": total(overview.active),
            "ineligible": total(overview.ineligible),
            "unknown_eligibility": total(overview.unknown_eligibility),
            "partners": [
                {
                    "partner": row.partner.pk,
                    "organisation_name": row.partner.organisation.name,
                    "enrolled": _count(row.enrolled),
                    "active": _count(row.active),
                    "women": _count(row.women),
                    "men": _count(row.men),
                    "committed": row.committed,
                }
                for row in overview.partners
            ],
        }
        return Response(s.ProgrammeOverviewSerializer(data).data)


@extend_schema(
    tags=["activities"],
    parameters=[s.SessionFilterSerializer],
    responses={200: s.SessionSerializer(many=True), **LIST_ERRORS},
)
class SessionList(generics.ListAPIView):
    """The sessions (meetings) of an activity you may see, oldest first. Not personal data."""

    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]
    serializer_class = s.SessionSerializer

    def get_queryset(self) -> Any:
        activity = _activity(self.request, self.kwargs["activity_id"])
        query = s.SessionFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.sessions(
            actor=self.request.user, activity_id=activity.pk, filters=query.validated_data
        )


@extend_schema(
    tags=["activities"],
    parameters=[s.AttendanceFilterSerializer],
    responses={200: s.AttendanceSerializer(many=True), **LIST_ERRORS},
)
class AttendanceList(RecordListView):
    """Attendance marks (present, absent, excused, with hours) of the enrollments whose record
    you may see. Filter by activity, session, enrollment and session dates."""

    serializer_class = s.AttendanceSerializer
    filter_serializer = s.AttendanceFilterSerializer

    def get_queryset(self) -> Any:
        return selectors.attendance(actor=self.request.user, filters=self.filters())


def _shared_consent_of(actor: Any) -> Any:
    """(organisation, consent) a row of ``selectors.language_results``/``assessments`` is
    read under: own rows name the owning organisation, shared ones the consent."""

    def consent_of(row: Any) -> tuple[int | None, int | None]:
        if is_own(actor, row.enrollment):
            return own_organisation_id(actor, row.enrollment), None
        return row.shared_organisation_id, row.shared_consent_id

    return consent_of


@extend_schema(
    tags=["assessments"],
    parameters=[s.LanguageResultFilterSerializer],
    responses={200: s.LanguageResultSerializer(many=True), **LIST_ERRORS},
)
class LanguageResultList(RecordListView):
    """Language results (SFI courses, SAS grund, CEFR levels) of your organisation's
    enrollments, and of other organisations' while a consent naming yours covers assessments
    (read under that consent, which the access log cites)."""

    serializer_class = s.LanguageResultSerializer
    filter_serializer = s.LanguageResultFilterSerializer
    part = Part.ASSESSMENTS

    def get_queryset(self) -> Any:
        return selectors.language_results(actor=self.request.user, filters=self.filters())

    def consent_of(self) -> Any:
        return _shared_consent_of(self.request.user)


@extend_schema(
    tags=["assessments"],
    parameters=[s.AssessmentFilterSerializer],
    responses={200: s.AssessmentSerializer(many=True), **LIST_ERRORS},
)
class AssessmentList(RecordListView):
    """Assessments (self-ratings, employability indicators, caseworker's ratings, exit
    questionnaires) with their answers: your organisation's enrollments', and other
    organisations' while a consent naming yours covers assessments (read under that consent,
    which the access log cites). Filters: enrollment, instrument code, since (date)."""

    serializer_class = s.AssessmentSerializer
    filter_serializer = s.AssessmentFilterSerializer
    part = Part.ASSESSMENTS

    def get_queryset(self) -> Any:
        return selectors.assessments(actor=self.request.user, filters=self.filters())

    def consent_of(self) -> Any:
        return _shared_consent_of(self.request.user)


class AssessmentDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]

    @extend_schema(tags=["assessments"], responses={200: s.AssessmentSerializer, **DETAIL_ERRORS})
    def get(self, request: Request, assessment_id: int) -> Response:
        """One assessment with its answers (own, or shared by a consent covering assessments)."""
        assessment = (
            selectors.assessments(actor=request.user, filters={})
            .filter(pk=_valid_id(assessment_id))
            .first()
        )
        if assessment is None:
            raise Http404
        log_detail(request, assessment, enrollment=assessment.enrollment, part=Part.ASSESSMENTS)
        return Response(s.AssessmentSerializer(assessment).data)


class ProgrammeIndicators(APIView):
    @extend_schema(
        tags=["aggregates"],
        parameters=[s.IndicatorFilterSerializer],
        responses={200: s.IndicatorSetSerializer, **LIST_ERRORS},
    )
    def get(self, request: Request, programme_id: int) -> Response:
        """The programme's indicators (AMIF or ESF+ by its fund, and the exit indicators),
        computed like the dashboards: the whole programme with counts of 1 to 4 suppressed for
        programme managers and analysts; the enrollments you may see for staff and
        coordinators. Optional partner, track and period (start, end)."""
        query = s.IndicatorFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        programme = next(
            (p for p in viewable_programmes(request.user) if p.pk == _valid_id(programme_id)),
            None,
        )
        if programme is None:
            raise Http404
        scope = scope_for(request.user)
        partner = None
        if filters.get("partner"):
            partner = (
                Partner.objects.select_related("organisation")
                .filter(programme=programme, pk=filters["partner"])
                .first()
            )
            if partner is None or (
                programme.pk not in scope.aggregate_programme_ids
                and partner.organisation_id not in scope.record_org_ids
            ):
                raise Http404
        track = None
        if filters.get("track"):
            track = Track.objects.filter(programme=programme, pk=filters["track"]).first()
            if track is None:
                raise Http404
        period = None
        if filters.get("start") or filters.get("end"):
            period = Period(
                filters.get("start") or datetime.date.min, filters.get("end") or datetime.date.max
            )
        try:
            results = indicators.compute_indicators(
                actor=request.user, programme=programme, partner=partner, track=track, period=period
            )
        except indicators.NotAllowed:
            raise Http404 from None
        data = results.to_dict()
        for row in data["indicators"]:
            if row["value"] is not None:
                row["value"] = str(row["value"])
        return Response(s.IndicatorSetSerializer(data).data)


@extend_schema(
    tags=["internships"],
    parameters=[s.InternshipFilterSerializer],
    responses={200: s.InternshipSerializer(many=True), **LIST_ERRORS},
)
class InternshipList(RecordListView):
    """Internships (praktik) of your organisation's enrollments, with the workplace, the
    supervisor, the outcome and how many follow-up visits were recorded. The owning
    organisation's record: never shared by consent."""

    serializer_class = s.InternshipSerializer
    filter_serializer = s.InternshipFilterSerializer

    def get_queryset(self) -> Any:
        return selectors.internships(actor=self.request.user, filters=self.filters())


class InternshipDetail(APIView):
    permission_classes = [permissions.IsAuthenticated, HasRecordAccess]

    @extend_schema(
        tags=["internships"], responses={200: s.InternshipDetailSerializer, **DETAIL_ERRORS}
    )
    def get(self, request: Request, internship_id: int) -> Response:
        """One internship of your organisation's enrollments, with its follow-up visits."""
        placement = get_for_actor(
            Placement, actor=request.user, pk=_valid_id(internship_id), part=Part.RECORD, log=False
        )
        if not is_own(request.user, placement.enrollment):
            raise Http404
        log_detail(request, placement, enrollment=placement.enrollment)
        visits = list(placement_selectors.visits_of(placement))
        placement.visit_count = len(visits)  # type: ignore[attr-defined]
        placement.visit_list = visits  # type: ignore[attr-defined]
        return Response(s.InternshipDetailSerializer(placement).data)


@extend_schema(
    tags=["internships"],
    parameters=[s.WorkplaceFilterSerializer],
    responses={200: s.WorkplaceSerializer(many=True), **errors(400, 401, 404)},
)
class WorkplaceList(generics.ListAPIView):
    """Workplaces of your programmes (employer data, not personal) with how many internships
    there were and how many turned into jobs: over the enrollments you see (staff,
    coordinators), or over the whole programme with counts of 1 to 4 suppressed (programme
    managers, analysts). Filters: q (employer name or organisation number), programme."""

    serializer_class = s.WorkplaceSerializer

    def get_queryset(self) -> Any:
        query = s.WorkplaceFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.workplaces(actor=self.request.user, filters=query.validated_data)

    def get_serializer_context(self) -> dict[str, Any]:
        record_access = not placement_selectors.counts_whole_programme(self.request.user)
        return {**super().get_serializer_context(), "record_access": record_access}


class DropInSummary(APIView):
    permission_classes = [permissions.IsAuthenticated, HasDropInUnits]

    @extend_schema(
        tags=["drop-in"],
        parameters=[s.DropInSummaryFilterSerializer],
        responses={200: s.DropInSummarySerializer, **LIST_ERRORS},
    )
    def get(self, request: Request) -> Response:
        """Drop-in visitors per topic at one unit in one month, like the summary page: the
        units you register visits for (staff: your units; coordinators: your organisation's).
        Counts only, no one's name; another unit answers 404."""
        query = s.DropInSummaryFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = (
            dropin_selectors.units_for_dropin(request.user)
            .filter(pk=query.validated_data["unit"])
            .first()
        )
        if unit is None:
            raise Http404
        month = query.validated_data.get("month") or timezone.localdate()
        start, end = dropin_selectors.month_bounds(month)
        summary = dropin_selectors.visit_summary(unit=unit, start=start, end=end)
        data = {
            "unit": unit.pk,
            "unit_name": unit.name,
            "organisation_name": unit.organisation.name,
            "month": start,
            "topics": [
                {
                    "topic": row.topic,
                    "label": row.label,
                    "anonymous": row.anonymous,
                    "linked": row.linked,
                    "total": row.total,
                }
                for row in summary.rows
            ],
            "anonymous": summary.anonymous,
            "linked": summary.linked,
            "total": summary.total,
            "registrations": summary.registrations,
        }
        return Response(s.DropInSummarySerializer(data).data)


@extend_schema(exclude=True)
class NotFound(APIView):
    """Any other URL under /api/v1/: a JSON 404 (not the site's HTML page)."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise Http404
