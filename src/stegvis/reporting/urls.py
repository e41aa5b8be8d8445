from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("programme/<int:programme_id>/", views.dashboard, name="programme"),
    path(
        "programme/<int:programme_id>/partner/<int:partner_id>/",
        views.dashboard,
        name="partner",
    ),
    path("programme/<int:programme_id>/track/<int:track_id>/", views.dashboard, name="track"),
    path("programme/<int:programme_id>/numbers/", views.numbers, name="numbers"),
    path("programme/<int:programme_id>/indicators.<str:fmt>", views.export, name="export"),
    path("programme/<int:programme_id>/targets/", views.targets, name="targets"),
    path(
        "programme/<int:programme_id>/targets/<int:target_id>/delete/",
        views.target_delete,
        name="target_delete",
    ),
    path(
        "programme/<int:programme_id>/participant-register.xlsx",
        views.participant_register,
        name="register",
    ),
    path("programme/<int:programme_id>/final-report/", views.final_report, name="final_report"),
    path(
        "programme/<int:programme_id>/final-report.<str:fmt>",
        views.final_report_file,
        name="final_report_file",
    ),
]
