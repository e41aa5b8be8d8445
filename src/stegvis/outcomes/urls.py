from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("<int:pk>/exit/", views.exit_record, name="exit"),
    path("<int:pk>/followup/", views.followup_record, name="followup"),
    path("follow-ups/", views.followups_due, name="followups_due"),
]
