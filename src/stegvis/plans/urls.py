from django.urls import path

from . import views

# Every URL about an enrollment's data has the enrollment's pk as its first int parameter
# (tests/access/test_outsiders.py walks them all as outsiders).
app_name = "plans"
urlpatterns = [
    path("my-actions/", views.my_actions, name="my_actions"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/agree/", views.plan_agree, name="agree"),
    path("<int:pk>/versions/<int:plan_id>/", views.plan_version, name="version"),
    path("<int:pk>/print/", views.plan_print, name="print"),
    path("<int:pk>/checkins/", views.checkin_list, name="checkins"),
    path("<int:pk>/checkins/new/", views.checkin_create, name="checkin_create"),
    path(
        "<int:pk>/checkins/<int:checkin_id>/",
        views.checkin_detail,
        name="checkin_detail",
    ),
    path(
        "<int:pk>/checkins/<int:checkin_id>/actions/<int:action_id>/done/",
        views.action_done,
        name="action_done",
    ),
]
