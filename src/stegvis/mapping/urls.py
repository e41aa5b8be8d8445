from django.urls import path

app_name = "mapping"
urlpatterns: list = []
