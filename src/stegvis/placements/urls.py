from django.urls import path

from . import views

app_name = "placements"
# ``pk`` in a URL is always an enrollment in this project; an internship adds its own id.
urlpatterns = [
    path("", views.placement_list, name="list"),
    path("workplaces/", views.workplace_list, name="workplaces"),
    path("workplaces/new/", views.workplace_create, name="workplace_create"),
    path("workplaces/<int:workplace_id>/", views.workplace_detail, name="workplace_detail"),
    path("<int:pk>/new/", views.placement_create, name="create"),
    path("<int:pk>/<int:placement_id>/", views.placement_detail, name="detail"),
    path("<int:pk>/<int:placement_id>/edit/", views.placement_edit, name="edit"),
    path("<int:pk>/<int:placement_id>/visits/new/", views.visit_add, name="visit_add"),
    path("<int:pk>/<int:placement_id>/outcome/", views.outcome_record, name="outcome"),
]
