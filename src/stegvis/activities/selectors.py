"""Reads of activities and participations.

Activities are not participant data: who sees one follows the provider. Staff see their own
units' activities, partner coordinators every activity of the partners they coordinate.
Participations are participant data: they are only ever listed through
``enrollments_for(actor, part=Part.RECORD)``, so an activity page never names a person the
viewer may not see, even when the activity itself is visible.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils.timezone import localdate

from stegvis.access.models import Part
from stegvis.access.policy import enrollments_for, register
from stegvis.access.scope import scope_for
from stegvis.organisations.models import Partner, Programme, Unit
from stegvis.participants.models import Enrollment, EnrollmentStatus

from .models import Activity, ActivityType, Attendance, Participation, Session


def activities_for(actor: Any) -> QuerySet[Activity]:
    """The activities the actor may see: provided by their staff units or coordinated partners."""
    scope = scope_for(actor)
    if not scope.has_record_access:
        return Activity.objects.none()
    q = Q(pk__in=[])
    if scope.staff_unit_ids:
        q |= Q(unit_id__in=scope.staff_unit_ids)
    if scope.coordinator_partner_ids:
        q |= Q(partner_id__in=scope.coordinator_partner_ids)
    return Activity.objects.filter(q)


def activity_list(*, actor: Any) -> QuerySet[Activity]:
    """Visible activities, newest first, each with ``taken``: its current participations."""
    return (
        activities_for(actor)
        .select_related("activity_type", "partner__organisation", "partner__programme", "unit")
        .annotate(taken=Count("participations", filter=Q(participations__end_date__isnull=True)))
        .order_by("-start_date", "name", "pk")
    )


def activity_get(*, actor: Any, activity_id: int) -> Activity | None:
    return (
        activity_list(actor=actor)
        .select_related("track", "partner__programme")
        .filter(pk=activity_id)
        .first()
    )


def visible_participations(*, actor: Any, activity: Activity) -> QuerySet[Participation]:
    """The activity's participations whose enrollment the actor may see; current ones first."""
    return (
        Participation.objects.filter(
            activity=activity, enrollment__in=enrollments_for(actor, part=Part.RECORD)
        )
        .select_related("enrollment__participant", "enrollment__unit")
        .order_by(
            F("end_date").desc(nulls_first=True),
            "enrollment__participant__last_name",
            "enrollment__participant__first_name",
            "pk",
        )
    )


def enrollments_to_add(*, actor: Any, activity: Activity) -> QuerySet[Enrollment]:
    """Active enrollments of the provider partner the actor may see, not already taking part."""
    already = Participation.objects.filter(
        activity=activity, enrollment_id=OuterRef("pk"), end_date__isnull=True
    )
    return (
        enrollments_for(actor, part=Part.RECORD)
        .filter(partner_id=activity.partner_id, status=EnrollmentStatus.ACTIVE)
        .exclude(Exists(already))
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def participations_of(*, actor: Any, enrollment: Enrollment) -> QuerySet[Participation]:
    """An enrollment's activities, for the participant page (empty unless the actor sees it),
    each with its attendance figures up to today."""
    from .figures import with_figures

    return with_figures(
        Participation.objects.filter(
            enrollment=enrollment,
            enrollment__in=enrollments_for(actor, part=Part.RECORD),
        )
        .select_related("activity__activity_type", "activity__partner__organisation")
        .order_by(F("end_date").desc(nulls_first=True), "-start_date", "pk"),
        today=localdate(),
    )


def units_for_activities(*, actor: Any) -> QuerySet[Unit]:
    """Units the actor may create activities for: own units as staff, all as coordinator."""
    scope = scope_for(actor)
    return Unit.objects.filter(
        Q(pk__in=scope.staff_unit_ids) | Q(organisation_id__in=scope.coordinator_org_ids)
    ).select_related("organisation")


def partners_for_activities(*, actor: Any) -> QuerySet[Partner]:
    scope = scope_for(actor)
    return Partner.objects.filter(
        Q(pk__in=scope.coordinator_partner_ids) | Q(organisation__units__in=scope.staff_unit_ids)
    ).distinct()


def activity_types_for(*, actor: Any) -> QuerySet[ActivityType]:
    """The catalogues of the programmes the actor's organisations are partners in."""
    programmes = partners_for_activities(actor=actor).values("programme_id")
    return ActivityType.objects.filter(programme_id__in=programmes).select_related("programme")


def catalogue_programmes(*, actor: Any) -> QuerySet[Programme]:
    """Programmes whose catalogue the actor edits: as its programme manager, or as an
    administrator in the organisation that owns it."""
    scope = scope_for(actor)
    return Programme.objects.filter(
        Q(pk__in=scope.manager_programme_ids) | Q(owner_id__in=scope.administrator_org_ids)
    ).order_by("name", "pk")


def catalogue(*, actor: Any) -> QuerySet[ActivityType]:
    """The editable catalogue entries, with ``used``: how many activities use each."""
    return (
        ActivityType.objects.filter(programme__in=catalogue_programmes(actor=actor))
        .select_related("programme")
        .annotate(used=Count("activities"))
        .order_by("programme__name", "name", "pk")
    )


# --- Sessions and attendance ---------------------------------------------------------------


def sessions_of(*, activity: Activity) -> QuerySet[Session]:
    """An activity's sessions (the caller has fetched the activity through ``activity_get``)."""
    return Session.objects.filter(activity=activity).order_by("date", "start_time", "pk")


def sessions_with_marks(*, actor: Any, activity: Activity) -> QuerySet[Session]:
    """The sessions, each with ``marked``: marks of the participants the actor may see."""
    visible = enrollments_for(actor, part=Part.RECORD).values("pk")
    return sessions_of(activity=activity).annotate(
        marked=Count("attendances", filter=Q(attendances__enrollment__in=visible))
    )


def session_get(*, actor: Any, session_id: int) -> Session | None:
    """A session of an activity the actor may see, or None (missing and not yours alike)."""
    return (
        Session.objects.filter(activity__in=activities_for(actor), pk=session_id)
        .select_related("activity__partner__organisation", "activity__unit")
        .first()
    )


def sessions_on(*, actor: Any, day: datetime.date) -> QuerySet[Session]:
    """The sessions of a day in the activities the actor may see (today's list)."""
    return (
        Session.objects.filter(activity__in=activities_for(actor), date=day)
        .select_related("activity")
        .order_by("start_time", "activity__name", "pk")
    )


def session_participations(*, actor: Any, session: Session) -> QuerySet[Participation]:
    """Who is expected at a session and whom the actor may mark: participations covering the
    session's date, of enrollments the actor writes (own organisation; never via consent).

    Each has ``mark_status``, ``mark_hours`` and ``mark_id`` from its attendance at the
    session (None when unmarked), in the same query.
    """
    return (
        Participation.objects.filter(
            activity_id=session.activity_id,
            start_date__lte=session.date,
            enrollment__in=enrollments_for(actor, part=Part.RECORD),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=session.date))
        .annotate(
            mark=FilteredRelation("attendances", condition=Q(attendances__session=session)),
            mark_id=F("mark__pk"),
            mark_status=F("mark__status"),
            mark_hours=F("mark__hours"),
        )
        .select_related("enrollment__participant")
        .order_by("enrollment__participant__last_name", "enrollment__participant__first_name", "pk")
    )


def figure_participations(*, actor: Any) -> QuerySet[Participation]:
    """Participations counted in the viewer's attendance summary: those they may see."""
    return Participation.objects.filter(enrollment__in=enrollments_for(actor, part=Part.RECORD))


@dataclass(frozen=True)
class FigureNames:
    partners: dict[int, str]
    types: dict[int, str]


def figure_names(*, partner_ids: Iterable[int], type_ids: Iterable[int]) -> FigureNames:
    """Names for the summary's groups (two small queries, whatever the number of rows)."""
    partners = Partner.objects.filter(pk__in=list(partner_ids)).values_list(
        "pk", "organisation__name", "programme__name"
    )
    types = ActivityType.objects.filter(pk__in=list(type_ids)).values_list("pk", "name")
    return FigureNames(
        partners={pk: f"{org} ({programme})" for pk, org, programme in partners},
        types=dict(types),
    )


def _scoped_attendances(actor: Any, part: str) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        enrollment__in=enrollments_for(actor, part=part)
    ).select_related("enrollment")


def _scoped_participations(actor: Any, part: str) -> QuerySet[Participation]:
    return Participation.objects.filter(
        enrollment__in=enrollments_for(actor, part=part)
    ).select_related("enrollment")


def register_with_access_layer() -> None:
    """Let get_for_actor / log_read handle participations (called from the app config)."""
    register(
        Participation,
        queryset=_scoped_participations,
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
    register(
        Attendance,
        queryset=_scoped_attendances,
        enrollment_of=lambda obj: obj.enrollment,
        participant_id_of=lambda obj: obj.enrollment.participant_id,
    )
