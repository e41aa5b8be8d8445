from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("new/", views.participant_create, name="create"),
    path("shared/", views.shared_list, name="shared"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/edit/", views.participant_edit, name="edit"),
    path("<int:pk>/eligibility/", views.eligibility_check_create, name="eligibility_check"),
    path("<int:pk>/log/", views.participant_log, name="log"),
]
