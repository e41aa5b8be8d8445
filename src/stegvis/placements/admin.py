"""Workplaces (employer data) in the technical admin, to correct typos. Internships and visits
are participant data: they are not here, only on the access layer's pages."""

from django.contrib import admin

from .models import Workplace


@admin.register(Workplace)
class WorkplaceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "sector", "city", "programme"]
    list_filter = ["programme", "sector"]
    search_fields = ["name", "organisation_number"]
    readonly_fields = ["organisation_number", "sole_trader", "created_by", "created_at"]
    raw_id_fields = ["added_by_partner"]
