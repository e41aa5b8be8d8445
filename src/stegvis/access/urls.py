from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("", views.access_log, name="log"),
    path("<int:pk>/who-has-seen/", views.seen_by, name="seen_by"),
]
