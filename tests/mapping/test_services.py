import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stegvis.access.models import AccessEvent
from stegvis.access.scope import scope_for
from stegvis.mapping import selectors, services
from stegvis.mapping.models import Mapping, SensitiveCircumstances
from stegvis.participants.models import Enrollment


def content(languages=None, qualifications=None, **fields):
    values = {
        "carried_out_on": date(2025, 3, 1),
        "interpreter_used": True,
        "interpreter_language": "ar",
        "years_of_schooling": 9,
        "education_level": "2",
        "literacy_mother_tongue": "good",
        "literacy_latin_script": "basic",
        "informal_skills": "Sews clothes for the neighbours",
        "driving_licence": "foreign",
        "digital_skills": "basic",
        "goals": "Work as an assistant nurse",
    }
    values.update(fields)
    return services.MappingContent(
        fields=values,
        languages=[{"language": "ar", "level": "native"}, {"language": "sv", "level": "basic"}]
        if languages is None
        else languages,
        work_experience=[{"occupation": "Tailor", "country": "SY", "years": Decimal("6")}],
        qualifications=[
            {
                "title": "Nursing diploma",
                "country": "SY",
                "kind": "vocational",
                "recognition_applied": "yes",
                "recognition_applied_on": date(2025, 2, 1),
            }
        ]
        if qualifications is None
        else qualifications,
    )


def complete(cast, **kwargs):
    return services.mapping_save(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        draft=None,
        content=content(**kwargs),
        complete=True,
    )


def test_a_draft_can_be_saved_half_filled_in(cast):
    mapping = services.mapping_save(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        draft=None,
        content=services.MappingContent(fields={"carried_out_on": date(2025, 3, 1)}),
    )
    assert mapping.status == "draft"
    assert mapping.recorded_by == cast.alice
    assert selectors.current_mapping(enrollment=cast.enrollment_a) is None


def test_completing_needs_the_essentials(cast):
    with pytest.raises(ValidationError) as error:
        services.mapping_save(
            actor=cast.alice,
            enrollment=cast.enrollment_a,
            draft=None,
            content=content(goals="", years_of_schooling=None, languages=[]),
            complete=True,
        )
    assert {"goals", "years_of_schooling", "__all__"} <= set(error.value.message_dict)
    assert not Mapping.objects.exists()


def test_completing_makes_it_current_with_its_rows(cast):
    mapping = complete(cast)
    current = selectors.current_mapping(enrollment=cast.enrollment_a)
    assert current == mapping
    assert current.status == "completed" and current.completed_by == cast.alice
    assert [(r.language, r.level) for r in current.languages.all()] == [
        ("ar", "native"),
        ("sv", "basic"),
    ]
    assert current.work_experience.get().country.code == "SY"
    assert current.qualifications.get().recognition_applied == "yes"


def test_a_new_mapping_starts_from_the_latest_and_the_old_one_is_kept(cast):
    first = complete(cast)
    prefill = selectors.mapping_prefill(enrollment=cast.enrollment_a, today=date(2025, 9, 1))
    assert prefill.based_on == first
    assert prefill.fields["goals"] == "Work as an assistant nurse"
    assert prefill.fields["carried_out_on"] == date(2025, 9, 1)
    assert prefill.languages == [
        {"language": "ar", "level": "native"},
        {"language": "sv", "level": "basic"},
    ]

    draft = services.mapping_save(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        draft=None,
        content=content(
            carried_out_on=date(2025, 9, 1),
            languages=[{"language": "ar", "level": "native"}, {"language": "sv", "level": "good"}],
        ),
    )
    assert draft.based_on == first
    # The draft is not in force yet.
    assert selectors.current_mapping(enrollment=cast.enrollment_a) == first
    second = services.mapping_save(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        draft=draft,
        content=content(
            carried_out_on=date(2025, 9, 1),
            goals="Nursing school",
            languages=[{"language": "ar", "level": "native"}, {"language": "sv", "level": "good"}],
        ),
        complete=True,
    )
    assert second.pk == draft.pk
    assert selectors.current_mapping(enrollment=cast.enrollment_a) == second
    first.refresh_from_db()
    assert first.goals == "Work as an assistant nurse"
    assert first.languages.get(language="sv").level == "basic"
    assert Mapping.objects.filter(enrollment=cast.enrollment_a).count() == 2


def test_the_first_mapping_starts_from_the_registry(cast):
    person = cast.enrollment_a.participant
    person.mother_tongue = "ar"
    person.other_languages = ["en"]
    person.years_of_schooling = 11
    person.save()
    enrollment = Enrollment.objects.select_related("participant").get(pk=cast.enrollment_a.pk)
    prefill = selectors.mapping_prefill(enrollment=enrollment, today=date(2025, 3, 1))
    assert prefill.based_on is None
    assert prefill.fields["years_of_schooling"] == 11
    assert prefill.languages == [
        {"language": "ar", "level": "native"},
        {"language": "en", "level": ""},
    ]


def test_there_is_one_draft_at_a_time(cast):
    services.mapping_save(
        actor=cast.alice, enrollment=cast.enrollment_a, draft=None, content=content()
    )
    with pytest.raises(ValidationError) as error:
        services.mapping_save(
            actor=cast.anna, enrollment=cast.enrollment_a, draft=None, content=content()
        )
    assert error.value.code == "conflict"


def test_a_completed_mapping_is_never_changed(cast):
    mapping = complete(cast)
    with pytest.raises(ValidationError) as error:
        services.mapping_save(
            actor=cast.alice,
            enrollment=cast.enrollment_a,
            draft=mapping,
            content=content(goals="Something else"),
        )
    assert error.value.code == "conflict"
    mapping.refresh_from_db()
    assert mapping.goals == "Work as an assistant nurse"


@pytest.mark.parametrize("who", ["bob", "bea", "otto", "mona", "axel"])
def test_other_organisations_cannot_write_even_with_consent(cast, share, who):
    share(covers_mapping=True, covers_sensitive=True, takes_part_in_plan=True)
    actor = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.mapping_save(
            actor=actor, enrollment=cast.enrollment_a, draft=None, content=content()
        )
    with pytest.raises(PermissionDenied):
        services.sensitive_circumstances_record(
            actor=actor,
            enrollment=cast.enrollment_a,
            health="x",
            family_situation="",
            other="",
        )
    assert not Mapping.objects.exists()
    assert not SensitiveCircumstances.objects.exists()
    assert not AccessEvent.objects.filter(action__in=["create", "update"]).exists()


def test_writes_are_logged_with_field_names_only(cast):
    draft = services.mapping_save(
        actor=cast.alice, enrollment=cast.enrollment_a, draft=None, content=content()
    )
    created = AccessEvent.objects.get(action="create")
    assert (created.part, created.enrollment_id, created.object_id) == (
        "mapping",
        cast.enrollment_a.pk,
        str(draft.pk),
    )
    assert created.organisation_id == cast.unit_a.organisation_id
    assert {"goals", "languages", "qualifications"} <= set(created.changes)
    services.mapping_save(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        draft=draft,
        content=content(goals="Become a bus driver"),
        complete=True,
    )
    updated = AccessEvent.objects.get(action="update")
    assert updated.changes == {"goals": None, "status": ["draft", "completed"]}
    logged = json.dumps([e.changes for e in AccessEvent.objects.all()])
    assert "bus driver" not in logged and "assistant nurse" not in logged


def test_saving_an_unchanged_draft_writes_nothing(cast):
    draft = services.mapping_save(
        actor=cast.alice, enrollment=cast.enrollment_a, draft=None, content=content()
    )
    services.mapping_save(
        actor=cast.alice, enrollment=cast.enrollment_a, draft=draft, content=content()
    )
    assert not AccessEvent.objects.filter(action="update").exists()


def test_the_sensitive_part_keeps_its_history_and_logs_no_content(cast):
    first = services.sensitive_circumstances_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        health="Diabetes type 2",
        family_situation="Three children",
        other="",
    )
    second = services.sensitive_circumstances_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        health="Diabetes type 2, needs breaks",
        family_situation="Three children",
        other="",
    )
    unchanged = services.sensitive_circumstances_record(
        actor=cast.alice,
        enrollment=cast.enrollment_a,
        health="Diabetes type 2, needs breaks",
        family_situation="Three children",
        other="",
    )
    assert unchanged is None
    assert selectors.sensitive_history(enrollment=cast.enrollment_a) == [second, first]
    first.refresh_from_db()
    assert first.health == "Diabetes type 2"
    events = list(AccessEvent.objects.filter(part="sensitive").order_by("pk"))
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].changes == {"health": None, "family_situation": None}
    assert events[1].changes == {"health": None}
    logged = json.dumps([e.changes for e in events]) + "".join(e.summary for e in events)
    assert "Diabetes" not in logged and "children" not in logged


def test_recognition_applied_for_is_counted_from_completed_mappings(cast):
    services.mapping_save(
        actor=cast.alice, enrollment=cast.enrollment_a, draft=None, content=content()
    )
    counted = Enrollment.objects.filter(selectors.applied_for_recognition())
    assert not counted.exists()  # a draft does not count
    Mapping.objects.all().delete()
    complete(cast)
    services.mapping_save(
        actor=cast.amir,
        enrollment=cast.enrollment_a2,
        draft=None,
        content=content(
            qualifications=[
                {
                    "title": "Welder",
                    "country": "IQ",
                    "kind": "vocational",
                    "recognition_applied": "no",
                    "recognition_applied_on": None,
                }
            ]
        ),
        complete=True,
    )
    assert list(counted.values_list("pk", flat=True)) == [cast.enrollment_a.pk]


def test_a_date_of_application_is_dropped_unless_applied(cast):
    mapping = complete(
        cast,
        qualifications=[
            {
                "title": "Welder",
                "country": "IQ",
                "kind": "",
                "recognition_applied": "no",
                "recognition_applied_on": date(2025, 1, 1),
            }
        ],
    )
    row = mapping.qualifications.get()
    assert row.recognition_applied_on is None
    assert row.kind == "other"


class TestSummary:
    def test_for_the_owner(self, cast):
        complete(cast)
        services.mapping_save(
            actor=cast.alice,
            enrollment=cast.enrollment_a,
            draft=None,
            content=content(carried_out_on=timezone.localdate() - timedelta(days=1)),
        )
        summary = selectors.mapping_summary(actor=cast.alice, enrollment=cast.enrollment_a)
        assert summary.current_carried_out_on == date(2025, 3, 1)
        assert summary.has_draft and summary.can_edit and summary.can_see_sensitive
        assert summary.count == 2

    def test_is_one_query(self, cast):
        complete(cast)
        scope_for(cast.alice)
        with CaptureQueriesContext(connection) as queries:
            selectors.mapping_summary(actor=cast.alice, enrollment=cast.enrollment_a)
        assert len(queries) == 1

    def test_is_none_without_access(self, cast, share):
        share(covers_plan=True)
        for who in ("bob", "bea", "otto", "mona", "axel"):
            actor = getattr(cast, who)
            assert selectors.mapping_summary(actor=actor, enrollment=cast.enrollment_a) is None

    def test_for_a_consented_organisation(self, cast, share):
        complete(cast)
        services.mapping_save(
            actor=cast.alice, enrollment=cast.enrollment_a, draft=None, content=content()
        )
        consent = share(covers_mapping=True)
        summary = selectors.mapping_summary(actor=cast.bob, enrollment=cast.enrollment_a)
        assert summary.count == 1  # drafts are the owner's
        assert not summary.has_draft and not summary.can_edit and not summary.can_see_sensitive
        consent.covers_sensitive = True
        consent.save()
        summary = selectors.mapping_summary(actor=cast.bob, enrollment=cast.enrollment_a)
        assert summary.can_see_sensitive
