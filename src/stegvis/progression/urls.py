from django.urls import path

from . import views

app_name = "progression"
urlpatterns = [
    path("<int:pk>/", views.assessments, name="assessments"),
    path("<int:pk>/assessment/<int:assessment_id>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/assess/", views.assisted_start, name="assisted_start"),
    path("<int:pk>/assess/<int:number>/", views.assisted_question, name="assisted_question"),
    path("<int:pk>/assess/review/", views.assisted_review, name="assisted_review"),
    path("<int:pk>/link/", views.link_create, name="link_create"),
    path("<int:pk>/link/<int:link_id>/close/", views.link_revoke, name="link_revoke"),
    path("due/", views.measurements_due, name="due"),
    path("cohort/", views.cohort, name="cohort"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/<int:version_id>/", views.instrument_version, name="instrument_version"),
    path("audio/<int:audio_id>/", views.audio, name="audio"),
]
