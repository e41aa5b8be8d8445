from django.urls import path

from . import views

app_name = "dropin"
urlpatterns = [
    path("", views.register_visits, name="register"),
    path("summary/", views.summary, name="summary"),
    path("<int:pk>/", views.participant_visit, name="participant"),
]
