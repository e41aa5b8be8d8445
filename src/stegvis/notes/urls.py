from django.urls import path

from . import views

app_name = "notes"
urlpatterns = [
    path("<int:pk>/", views.note_list, name="list"),
    path("<int:pk>/new/", views.note_create, name="create"),
    path("<int:pk>/<int:note_id>/correct/", views.note_correct, name="correct"),
]
