from django.urls import path

from . import views

app_name = "consents"
urlpatterns = [
    path("<int:pk>/", views.consent_list, name="list"),
    path("<int:pk>/new/", views.consent_create, name="create"),
    path("<int:pk>/<int:consent_id>/withdraw/", views.consent_withdraw, name="withdraw"),
    path("<int:pk>/<int:consent_id>/print/", views.consent_print, name="print"),
]
