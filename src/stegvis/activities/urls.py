from django.urls import path

from . import views

app_name = "activities"
# Activity ids are named ``activity_id``: ``pk`` in a URL means an enrollment in this project.
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("new/", views.activity_create, name="create"),
    path("<int:activity_id>/", views.activity_detail, name="detail"),
    path("<int:activity_id>/participants/add/", views.participant_add, name="add_participant"),
]
