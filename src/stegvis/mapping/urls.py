from django.urls import path

from . import views

app_name = "mapping"
urlpatterns = [
    path("<int:pk>/", views.mapping_detail, name="detail"),
    path("<int:pk>/edit/", views.mapping_edit, name="edit"),
    path("<int:pk>/sensitive/", views.mapping_sensitive, name="sensitive"),
    path("<int:pk>/<int:mapping_id>/", views.mapping_version, name="version"),
]
