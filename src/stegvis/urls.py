from django.contrib import admin
from django.urls import include, path

from stegvis.core.views import set_language

urlpatterns = [
    path("", include("stegvis.core.urls")),
    path("accounts/", include("stegvis.accounts.urls")),
    path("participants/", include("stegvis.participants.urls")),
    path("log/", include("stegvis.access.urls")),
    path("consents/", include("stegvis.consents.urls")),
    path("mapping/", include("stegvis.mapping.urls")),
    path("notes/", include("stegvis.notes.urls")),
    path("plans/", include("stegvis.plans.urls")),
    path("outcomes/", include("stegvis.outcomes.urls")),
    path("activities/", include("stegvis.activities.urls")),
    path("placements/", include("stegvis.placements.urls")),
    path("drop-in/", include("stegvis.dropin.urls")),
    path("progression/", include("stegvis.progression.urls")),
    path("language-levels/", include("stegvis.languagelevels.urls")),
    path("s/", include("stegvis.progression.public_urls")),
    path("reports/", include("stegvis.reporting.urls")),
    path("transfer/", include("stegvis.transfer.urls")),
    path("api/", include("stegvis.api.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]
