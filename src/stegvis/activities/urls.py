from django.urls import path

from . import views

app_name = "activities"
# Activity ids are named ``activity_id``: ``pk`` in a URL means an enrollment in this project.
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:activity_id>/", views.activity_detail, name="detail"),
    path("<int:activity_id>/participants/add/", views.participant_add, name="add_participant"),
    path(
        "participations/<int:participation_id>/end/",
        views.participation_end,
        name="end_participation",
    ),
    path("<int:activity_id>/sessions/", views.session_list, name="sessions"),
    path("<int:activity_id>/sessions/new/", views.sessions_generate, name="generate_sessions"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:session_id>/attendance/undo/", views.attendance_undo, name="undo"),
    path("attendance/", views.figures_summary, name="figures"),
    path("catalogue/", views.catalogue_list, name="catalogue"),
    path("catalogue/new/", views.catalogue_create, name="catalogue_create"),
    path("catalogue/<int:type_id>/edit/", views.catalogue_edit, name="catalogue_edit"),
    path("catalogue/<int:type_id>/delete/", views.catalogue_delete, name="catalogue_delete"),
]
