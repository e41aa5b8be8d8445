from django.urls import path

app_name = "consents"
urlpatterns: list = []
