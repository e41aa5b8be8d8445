"""Instruments and measurement schedules in the technical admin. Assessments, answers and
links are participant data and are not here.

An instrument version that has been answered is read-only: "Copy as a new version" makes an
editable, unpublished copy (copy-on-write), and "Publish" makes new assessments use it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Instrument, InstrumentVersion, Item, ItemText, MeasurementSchedule


class _FrozenMixin:
    def _editable(self, obj: Any) -> bool:
        if isinstance(obj, InstrumentVersion):
            version = obj
        elif isinstance(obj, Item):
            version = obj.version
        elif isinstance(obj, ItemText):
            version = obj.item.version
        else:
            return True
        return services.version_is_editable(version)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and (  # type: ignore[misc]
            obj is None or self._editable(obj)
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (  # type: ignore[misc]
            obj is None or self._editable(obj)
        )


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "self_report"]


class ItemTextInline(_FrozenMixin, admin.TabularInline):
    model = ItemText
    extra = 0


@admin.register(Item)
class ItemAdmin(_FrozenMixin, admin.ModelAdmin):
    list_display = ["__str__", "position", "dimension", "kind"]
    list_filter = ["version__instrument"]
    inlines = [ItemTextInline]


class ItemInline(_FrozenMixin, admin.TabularInline):
    model = Item
    extra = 0
    show_change_link = True


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(_FrozenMixin, admin.ModelAdmin):
    list_display = ["__str__", "published_at", "frozen_at"]
    list_filter = ["instrument"]
    inlines = [ItemInline]
    actions = ["copy_as_new_version", "publish"]

    @admin.action(description=_("Copy as a new version"))
    def copy_as_new_version(
        self, request: HttpRequest, queryset: QuerySet[InstrumentVersion]
    ) -> None:
        for version in queryset:
            copy = services.version_copy(version=version, note=f"copy of v{version.number}")
            messages.success(request, _("Created %(version)s.") % {"version": copy})

    @admin.action(description=_("Publish"))
    def publish(self, request: HttpRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset.filter(published_at__isnull=True):
            services.version_publish(version=version)


@admin.register(MeasurementSchedule)
class MeasurementScheduleAdmin(admin.ModelAdmin):
    list_display = ["programme", "start_within_days", "follow_up_months", "exit_within_days"]
