"""Short public URLs for participants' one-time self-assessment links (printed as QR codes)."""

from django.urls import path

from . import public_views

app_name = "selfservice"
urlpatterns = [
    path("language/", public_views.choose_language, name="language"),
    path("q/<int:number>/", public_views.question, name="question"),
    path("review/", public_views.review, name="review"),
    path("thanks/", public_views.thanks, name="thanks"),
    path("audio/<int:audio_id>/", public_views.audio, name="audio"),
    path("<str:token>/", public_views.open_link, name="open"),
]
