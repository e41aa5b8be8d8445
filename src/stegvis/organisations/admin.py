"""Technical administration of the organisation structure.

Participant data is deliberately not registered here: it is reachable only through the
access layer's pages (see docs/architecture.md).
"""

from django.contrib import admin

from .models import Membership, Organisation, Partner, Programme, Track, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "municipality"]
    inlines = [UnitInline]


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["tracks"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "fund", "start_date", "end_date", "owner"]
    list_filter = ["fund"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [TrackInline, PartnerInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["user", "unit__organisation"]
    search_fields = ["user__username", "user__last_name", "unit__name", "unit__organisation__name"]
    autocomplete_fields = ["user", "unit"]
