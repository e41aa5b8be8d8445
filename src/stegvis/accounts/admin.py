from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from stegvis.organisations.models import Membership

from .models import User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (None, {"fields": ["title"]}))
