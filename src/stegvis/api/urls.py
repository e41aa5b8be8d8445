from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import pages, views

app_name = "api"
# Ids are named after their object; ``pk`` in a URL means an enrollment page in this project.
urlpatterns = [
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", pages.token_revoke_view, name="token_revoke"),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("v1/enrollments/", views.EnrollmentList.as_view(), name="enrollments"),
    path(
        "v1/enrollments/<int:enrollment_id>/",
        views.EnrollmentDetail.as_view(),
        name="enrollment",
    ),
    path(
        "v1/enrollments/<int:enrollment_id>/exit/",
        views.EnrollmentExit.as_view(),
        name="enrollment_exit",
    ),
    path("v1/shared-enrollments/", views.SharedEnrollmentList.as_view(), name="shared"),
    path(
        "v1/shared-enrollments/<int:enrollment_id>/",
        views.SharedEnrollmentDetail.as_view(),
        name="shared_enrollment",
    ),
    path("v1/exits/", views.ExitList.as_view(), name="exits"),
    path("v1/activities/", views.ActivityList.as_view(), name="activities"),
    path("v1/activities/<int:activity_id>/", views.ActivityDetail.as_view(), name="activity"),
    path("v1/participations/", views.ParticipationList.as_view(), name="participations"),
    path("v1/programmes/", views.ProgrammeList.as_view(), name="programmes"),
    path(
        "v1/programmes/<int:programme_id>/overview/",
        views.ProgrammeOverview.as_view(),
        name="programme_overview",
    ),
    path(
        "v1/programmes/<int:programme_id>/indicators/",
        views.ProgrammeIndicators.as_view(),
        name="programme_indicators",
    ),
    path(
        "v1/activities/<int:activity_id>/sessions/",
        views.SessionList.as_view(),
        name="activity_sessions",
    ),
    path("v1/attendance/", views.AttendanceList.as_view(), name="attendance"),
    path("v1/language-results/", views.LanguageResultList.as_view(), name="language_results"),
    path("v1/assessments/", views.AssessmentList.as_view(), name="assessments"),
    path(
        "v1/assessments/<int:assessment_id>/", views.AssessmentDetail.as_view(), name="assessment"
    ),
    path("v1/internships/", views.InternshipList.as_view(), name="internships"),
    path(
        "v1/internships/<int:internship_id>/", views.InternshipDetail.as_view(), name="internship"
    ),
    path("v1/workplaces/", views.WorkplaceList.as_view(), name="workplaces"),
    path("v1/drop-in/summary/", views.DropInSummary.as_view(), name="dropin_summary"),
    # Last: unknown API URLs (including ids that are not numbers) answer JSON, not HTML.
    re_path(r"^v1/", views.NotFound.as_view(), name="not_found"),
]
