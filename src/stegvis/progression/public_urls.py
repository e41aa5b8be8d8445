"""Short public URLs for participants' one-time self-assessment links (printed as QR codes)."""

from django.urls import path  # noqa: F401

app_name = "selfservice"
urlpatterns: list = []
