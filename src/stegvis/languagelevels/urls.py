from django.urls import path

from . import views

app_name = "languagelevels"
urlpatterns = [
    path("<int:pk>/", views.history, name="history"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/<int:result_id>/correct/", views.correct, name="correct"),
    path("<int:pk>/<int:result_id>/delete/", views.delete, name="delete"),
]
