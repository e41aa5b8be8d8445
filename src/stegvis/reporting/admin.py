from django.contrib import admin

from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("programme", "partner", "indicator", "label", "value", "women", "men")
    list_filter = ("programme",)
