"""What the API returns and accepts. Read serializers only show what the access layer let
through; a shared (consented) enrollment has its own, smaller shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from stegvis.activities.models import Activity, Attendance, Participation, Session
from stegvis.consents.models import SHAREABLE_PARTS
from stegvis.dropin.models import Topic
from stegvis.languagelevels.models import LanguageResult, ResultKind
from stegvis.outcomes.models import Exit, FollowUp
from stegvis.participants.eligibility import Eligibility
from stegvis.participants.languages import LANGUAGE_CHOICES
from stegvis.participants.models import (
    EducationLevel,
    Enrollment,
    EnrollmentStatus,
    Gender,
    IdentityKind,
    LabourMarketStatus,
    Participant,
    ReferralSource,
)
from stegvis.participants.services import PERSON_FIELDS
from stegvis.placements.models import Outcome, Placement, PlacementVisit, Workplace
from stegvis.progression.models import Answer, Assessment
from stegvis.reporting.selectors import suppress

# The read serializers are only ever used for output. Their fields are not marked read-only:
# DRF drops ``allow_blank`` from read-only fields, and the schema would then wrongly say a
# blank choice ("") cannot be returned.


class ParticipantSerializer(serializers.ModelSerializer):
    """The person. In lists, a person with protected identity has no name or number."""

    citizenships = serializers.SerializerMethodField()
    country_of_birth = serializers.SerializerMethodField()
    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    identity_number = serializers.SerializerMethodField()

    class Meta:
        model = Participant
        fields = ["id", *PERSON_FIELDS, "updated_at"]

    def _masked(self, obj: Participant) -> bool:
        return bool(obj.protected_identity and self.context.get("mask_protected"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_citizenships(self, obj: Participant) -> list[str]:
        return [str(country.code) for country in obj.citizenships]

    @extend_schema_field(serializers.CharField())
    def get_country_of_birth(self, obj: Participant) -> str:
        return str(obj.country_of_birth.code or "")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_first_name(self, obj: Participant) -> str | None:
        return None if self._masked(obj) else obj.first_name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_last_name(self, obj: Participant) -> str | None:
        return None if self._masked(obj) else obj.last_name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_identity_number(self, obj: Participant) -> str | None:
        return None if self._masked(obj) else obj.identity_number

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["other_languages"] = serializers.ListField(
            child=serializers.CharField(), read_only=True
        )
        return fields


class EnrollmentSerializer(serializers.ModelSerializer):
    """An enrollment of the user's own organisation, with the person."""

    participant = ParticipantSerializer(read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    partner_name = serializers.CharField(source="partner.organisation.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "pseudonym",
            "external_id",
            "programme",
            "programme_name",
            "partner",
            "partner_name",
            "unit",
            "unit_name",
            "track",
            "start_date",
            "end_date",
            "status",
            "eligibility",
            "eligibility_reason",
            "created_at",
            "updated_at",
            "participant",
        ]


class SharedPersonSerializer(serializers.Serializer):
    """What a consented organisation may see of the person: enough to recognise them."""

    first_name = serializers.SerializerMethodField()
    last_name = serializers.SerializerMethodField()
    birth_date = serializers.DateField(read_only=True)
    protected_identity = serializers.BooleanField(read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_first_name(self, obj: Participant) -> str | None:
        return None if obj.protected_identity else obj.first_name

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_last_name(self, obj: Participant) -> str | None:
        return None if obj.protected_identity else obj.last_name


class SharedEnrollmentSerializer(serializers.ModelSerializer):
    """Another organisation's enrollment shared with the user's by an active consent."""

    participant = SharedPersonSerializer(read_only=True)
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    partner_name = serializers.CharField(source="partner.organisation.name", read_only=True)
    shared_parts = serializers.SerializerMethodField(
        help_text="The parts the active consents naming your organisation cover."
    )
    consent_valid_to = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "pseudonym",
            "programme",
            "programme_name",
            "partner",
            "partner_name",
            "start_date",
            "end_date",
            "status",
            "participant",
            "shared_parts",
            "consent_valid_to",
        ]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(SHAREABLE_PARTS)))
    )
    def get_shared_parts(self, obj: Enrollment) -> list[str]:
        consents = obj.consents_for_us  # type: ignore[attr-defined]
        parts = {part for consent in consents for part in consent.parts}
        return [str(part) for part in SHAREABLE_PARTS if part in parts]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_consent_valid_to(self, obj: Enrollment) -> Any:
        consents = obj.consents_for_us  # type: ignore[attr-defined]
        return max((c.valid_to for c in consents), default=None)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["due_date", "done_date", "in_employment", "improved_situation", "note"]


class ExitSerializer(serializers.ModelSerializer):
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)
    follow_up = FollowUpSerializer(
        source="enrollment.follow_up",
        read_only=True,
        allow_null=True,
        help_text="Scheduled six months after the exit (none for an erroneous registration).",
    )
    counted = serializers.BooleanField(
        read_only=True, help_text="False for an erroneous registration: left out of every count."
    )

    class Meta:
        model = Exit
        fields = [
            "id",
            "enrollment",
            "exit_date",
            "exit_type",
            "reason",
            "job_seeking",
            "in_education",
            "gained_qualification",
            "in_employment",
            "occupation_before",
            "occupation_after",
            "support_before",
            "support_after",
            "note",
            "recorded_at",
            "counted",
            "follow_up",
        ]
        read_only_fields = ["id", "enrollment", "recorded_at", "counted", "follow_up"]


class ActivitySerializer(serializers.ModelSerializer):
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    funder_category = serializers.CharField(source="activity_type.funder_category", read_only=True)
    programme = serializers.IntegerField(source="partner.programme_id", read_only=True)
    partner_name = serializers.CharField(source="partner.organisation.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    current_participants = serializers.IntegerField(source="taken", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "name",
            "activity_type",
            "activity_type_name",
            "funder_category",
            "programme",
            "partner",
            "partner_name",
            "unit",
            "unit_name",
            "track",
            "language",
            "place",
            "start_date",
            "end_date",
            "capacity",
            "current_participants",
        ]


class ParticipationSerializer(serializers.ModelSerializer):
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)
    activity = serializers.IntegerField(source="activity_id", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "activity", "enrollment", "start_date", "end_date", "end_reason"]


# ---- Filters (query parameters), validated like any input: 400 with field names ----


# Ids are 64-bit in the database; larger numbers are invalid input, not a database error.
MAX_ID = 2**63 - 1


def IdField(**kwargs: Any) -> serializers.IntegerField:  # noqa: N802 (reads like a field)
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class EnrollmentFilterSerializer(serializers.Serializer):
    programme = IdField(required=False)
    partner = IdField(required=False)
    unit = IdField(required=False)
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices, required=False)
    eligibility = serializers.ChoiceField(choices=Eligibility.choices, required=False)
    updated_since = serializers.DateTimeField(
        required=False,
        help_text=_("Only enrollments whose enrollment or person changed at or after this time."),
    )


class SharedFilterSerializer(serializers.Serializer):
    programme = IdField(required=False)
    partner = IdField(required=False)


class ExitFilterSerializer(serializers.Serializer):
    programme = IdField(required=False)
    partner = IdField(required=False)
    recorded_since = serializers.DateTimeField(required=False)


class ActivityFilterSerializer(serializers.Serializer):
    programme = IdField(required=False)
    partner = IdField(required=False)
    unit = IdField(required=False)


class ParticipationFilterSerializer(serializers.Serializer):
    activity = IdField(required=False)
    enrollment = IdField(required=False)
    current = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Only ongoing participations.")
    )


# ---- Input ----

COUNTRY_CHOICES = [(code, name) for code, name in countries]


class PersonInputSerializer(serializers.Serializer):
    """The person to enrol. Checked further exactly like the enrollment form (identity
    number check digit and kind, birth date from the number, plausible dates)."""

    identity_kind = serializers.ChoiceField(choices=IdentityKind.choices)
    identity_number = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=13, default=""
    )
    protected_identity = serializers.BooleanField(default=False)
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    gender = serializers.ChoiceField(choices=Gender.choices)
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)
    citizenships = serializers.ListField(
        child=serializers.ChoiceField(choices=COUNTRY_CHOICES), required=False, default=list
    )
    stateless = serializers.BooleanField(default=False)
    country_of_birth = serializers.ChoiceField(
        choices=COUNTRY_CHOICES, required=False, allow_blank=True, default=""
    )
    year_of_arrival = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1900, max_value=2100
    )
    municipality = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )
    mother_tongue = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, allow_blank=True, default=""
    )
    other_languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGE_CHOICES), required=False, default=list
    )
    interpreter_needed = serializers.BooleanField(default=False)
    interpreter_language = serializers.ChoiceField(
        choices=LANGUAGE_CHOICES, required=False, allow_blank=True, default=""
    )
    years_of_schooling = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=30
    )
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, default=EducationLevel.UNKNOWN
    )
    labour_market_status = serializers.ChoiceField(
        choices=LabourMarketStatus.choices, default=LabourMarketStatus.UNKNOWN
    )
    referral_source = serializers.ChoiceField(
        choices=ReferralSource.choices, required=False, allow_blank=True, default=""
    )


class EnrollmentCreateSerializer(serializers.Serializer):
    participant = PersonInputSerializer()
    partner = IdField(help_text="The partner id (programme × organisation).")
    unit = IdField()
    track = IdField(required=False, allow_null=True, default=None)
    start_date = serializers.DateField()
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")


class ParticipationCreateSerializer(serializers.Serializer):
    activity = IdField()
    enrollment = IdField()
    start_date = serializers.DateField()


# ---- Aggregates (programme managers and analysts) ----


class CountSerializer(serializers.Serializer):
    """A count; 1 to 4 are suppressed (value null, suppressed true) as on the report pages."""

    value = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()


class ProgrammeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()
    fund = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class PartnerOverviewSerializer(serializers.Serializer):
    partner = serializers.IntegerField()
    organisation_name = serializers.CharField()
    enrolled = CountSerializer()
    active = CountSerializer()
    women = CountSerializer()
    men = CountSerializer()
    committed = serializers.IntegerField(allow_null=True)


class ProgrammeOverviewSerializer(serializers.Serializer):
    programme = ProgrammeSerializer()
    enrolled = CountSerializer(help_text="Eligible people (not enrollments).")
    active = CountSerializer()
    ineligible = CountSerializer()
    unknown_eligibility = CountSerializer()
    partners = PartnerOverviewSerializer(many=True)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    reference = serializers.CharField()
    definition = serializers.CharField()
    population = serializers.CharField()
    counting_rule = serializers.CharField()
    unit = serializers.ChoiceField(choices=["count", "share"])
    counts = serializers.ChoiceField(choices=["person", "exit", "entity"])
    data_available = serializers.BooleanField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField()
    value = serializers.CharField(
        allow_null=True,
        help_text="The count, or the share in percent with one decimal, as an exact decimal "
        "string; null when suppressed or when the data is not recorded.",
    )
    missing = serializers.IntegerField(allow_null=True)
    missing_means = serializers.CharField(allow_blank=True)
    excluded_ineligible = serializers.IntegerField(allow_null=True)
    excluded_unknown_eligibility = serializers.IntegerField(allow_null=True)
    by_gender = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    suppressed = serializers.BooleanField()


class IndicatorSetSerializer(serializers.Serializer):
    programme = serializers.CharField(help_text="The programme's code.")
    partner = serializers.CharField(allow_null=True)
    track = serializers.CharField(allow_null=True)
    period = serializers.CharField(allow_null=True)
    erroneous_registrations_excluded = serializers.IntegerField()
    indicators = IndicatorSerializer(many=True)


class IndicatorFilterSerializer(serializers.Serializer):
    partner = IdField(required=False)
    track = IdField(required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("start") and attrs.get("end") and attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": _("The period ends before it starts.")})
        return attrs


class SessionSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="activity_id", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "activity",
            "date",
            "start_time",
            "end_time",
            "hours",
            "cancelled",
            "cancel_reason",
            "note",
        ]


class SessionFilterSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class AttendanceSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id", read_only=True)
    activity = serializers.IntegerField(source="session.activity_id", read_only=True)
    date = serializers.DateField(source="session.date", read_only=True)
    participation = serializers.IntegerField(source="participation_id", read_only=True)
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "activity",
            "date",
            "participation",
            "enrollment",
            "status",
            "hours",
        ]


class AttendanceFilterSerializer(serializers.Serializer):
    activity = IdField(required=False)
    session = IdField(required=False)
    enrollment = IdField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)


class LanguageResultSerializer(serializers.ModelSerializer):
    enrollment = serializers.IntegerField(source="enrollment_id", read_only=True)

    class Meta:
        model = LanguageResult
        fields = [
            "id",
            "enrollment",
            "kind",
            "result_date",
            "study_path",
            "course",
            "grade",
            "skill",
            "cefr_level",
            "source",
            "note",
            "recorded_at",
            "updated_at",
        ]


class LanguageResultFilterSerializer(serializers.Serializer):
    enrollment = IdField(required=False)
    kind = serializers.ChoiceField(choices=ResultKind.choices, required=False)
    updated_since = serializers.DateTimeField(required=False)


class AnswerSerializer(serializers.ModelSerializer):
    """One answer: the item's code and dimension (stable across versions), its scale, the
    value (empty: "don't know" or skipped; for choice items the 1-based choice)."""

    item = serializers.CharField(source="item.code")
    dimension = serializers.CharField(source="item.dimension")
    kind = serializers.CharField(source="item.kind")
    scale_min = serializers.IntegerField(source="item.scale_min", allow_null=True)
    scale_max = serializers.IntegerField(source="item.scale_max", allow_null=True)

    class Meta:
        model = Answer
        fields = ["item", "dimension", "kind", "scale_min", "scale_max", "value"]


class AssessmentSerializer(serializers.ModelSerializer):
    enrollment = serializers.IntegerField(source="enrollment_id")
    instrument = serializers.CharField(source="version.instrument.code")
    version = serializers.IntegerField(source="version.number")
    answers = AnswerSerializer(many=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enrollment",
            "instrument",
            "version",
            "point",
            "date",
            "language",
            "mode",
            "interpreter_used",
            "completed_at",
            "answers",
        ]


class AssessmentFilterSerializer(serializers.Serializer):
    enrollment = IdField(required=False)
    instrument = serializers.SlugField(required=False, max_length=50, help_text="Instrument code.")
    since = serializers.DateField(required=False, help_text="Assessments on or after this date.")


# ---- Internships, workplaces and drop-in ----


class WorkplaceRefSerializer(serializers.ModelSerializer):
    """The workplace of an internship (employer data)."""

    class Meta:
        model = Workplace
        fields = ["id", "name", "organisation_number"]


class InternshipSerializer(serializers.ModelSerializer):
    """An internship (praktik) of an enrollment of your organisation."""

    enrollment = serializers.IntegerField(source="enrollment_id")
    workplace = WorkplaceRefSerializer()
    participation = serializers.IntegerField(
        source="participation_id",
        allow_null=True,
        help_text="The participation in the internship activity it is counted under, if any.",
    )
    visit_count = serializers.IntegerField(help_text="Follow-up visits recorded.")

    class Meta:
        model = Placement
        fields = [
            "id",
            "enrollment",
            "workplace",
            "supervisor_name",
            "supervisor_phone",
            "supervisor_email",
            "start_date",
            "end_date",
            "hours_per_week",
            "tasks",
            "language_support",
            "language_support_note",
            "outcome",
            "outcome_date",
            "employment_support",
            "outcome_note",
            "participation",
            "visit_count",
        ]


class VisitSerializer(serializers.ModelSerializer):
    visited_by = serializers.SerializerMethodField(help_text="The visitor's name.")

    class Meta:
        model = PlacementVisit
        fields = ["id", "visit_date", "visited_by", "notes"]

    def get_visited_by(self, obj: PlacementVisit) -> str:
        return obj.visited_by.get_full_name() or obj.visited_by.get_username()


class InternshipDetailSerializer(InternshipSerializer):
    """An internship with its follow-up visits, newest first."""

    visits = VisitSerializer(many=True, source="visit_list")

    class Meta(InternshipSerializer.Meta):
        fields = [*InternshipSerializer.Meta.fields, "visits"]


INTERNSHIP_STATES = ["ongoing", "ended", "needs_outcome"]


class InternshipFilterSerializer(serializers.Serializer):
    enrollment = IdField(required=False)
    state = serializers.ChoiceField(
        choices=INTERNSHIP_STATES,
        required=False,
        help_text="ongoing: no final outcome yet; ended: ended or turned into employment; "
        "needs_outcome: ongoing with the end date passed.",
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    workplace = IdField(required=False)
    start_from = serializers.DateField(required=False, help_text="Started on or after.")
    start_to = serializers.DateField(required=False, help_text="Started on or before.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start_from, start_to = attrs.get("start_from"), attrs.get("start_to")
        if start_from and start_to and start_to < start_from:
            raise serializers.ValidationError({"start_to": _("The period ends before it starts.")})
        return attrs


class WorkplaceSerializer(serializers.ModelSerializer):
    """A workplace with how many internships (and jobs from them) it gave: counted over the
    enrollments you see (staff, coordinators), or over the whole programme with 1 to 4
    suppressed (programme managers, analysts)."""

    programme_name = serializers.CharField(source="programme.name")
    placement_count = serializers.SerializerMethodField()
    job_count = serializers.SerializerMethodField()

    class Meta:
        model = Workplace
        fields = [
            "id",
            "programme",
            "programme_name",
            "name",
            "organisation_number",
            "sole_trader",
            "sector",
            "street_address",
            "postal_code",
            "city",
            "added_by_partner",
            "placement_count",
            "job_count",
        ]

    def _count(self, value: int) -> dict[str, Any]:
        shown = suppress(value, record_access=self.context["record_access"])
        return {"value": None if shown.suppressed else shown.value, "suppressed": shown.suppressed}

    @extend_schema_field(CountSerializer)
    def get_placement_count(self, obj: Workplace) -> dict[str, Any]:
        return self._count(obj.placement_count)  # type: ignore[attr-defined]

    @extend_schema_field(CountSerializer)
    def get_job_count(self, obj: Workplace) -> dict[str, Any]:
        return self._count(obj.job_count)  # type: ignore[attr-defined]


class WorkplaceFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Employer name (contains) or organisation number (starts with).",
    )
    programme = IdField(required=False)


@extend_schema_field(
    {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$", "example": "2025-03"}
)
class MonthField(serializers.DateField):
    """A month as YYYY-MM (the first day of it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%Y-%m"], format="%Y-%m", **kwargs)


class DropInSummaryFilterSerializer(serializers.Serializer):
    unit = IdField(help_text="One of the units you register drop-in visits for.")
    month = MonthField(required=False, help_text="YYYY-MM; the current month if left out.")


class DropInTopicSerializer(serializers.Serializer):
    topic = serializers.ChoiceField(choices=Topic.choices)
    label = serializers.CharField(help_text="The topic's name in the request's language.")
    anonymous = serializers.IntegerField(help_text="Visitors registered as a count.")
    linked = serializers.IntegerField(help_text="Visits registered for a participant.")
    total = serializers.IntegerField()


class DropInSummarySerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    unit_name = serializers.CharField()
    organisation_name = serializers.CharField()
    month = MonthField()
    topics = DropInTopicSerializer(many=True, help_text="Every topic, in the pages' order.")
    anonymous = serializers.IntegerField()
    linked = serializers.IntegerField()
    total = serializers.IntegerField(help_text="Visitors in the month.")
    registrations = serializers.IntegerField(help_text="Rows registered (a count is one row).")
