from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("jobs/<int:job_id>/", views.job, name="job"),
    path("jobs/<int:job_id>/commit/", views.commit, name="commit"),
    path("templates/<slug:kind>.<slug:fmt>", views.template, name="template"),
    path("export/<int:partner_id>.<slug:fmt>", views.export, name="export"),
]
