"""The activity catalogue in the technical admin. Activities and participations are not here:
participations are participant data, reachable only through the access layer's pages."""

from django.contrib import admin

from .models import ActivityType


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "funder_category"]
    list_filter = ["programme", "funder_category"]
    search_fields = ["name"]
