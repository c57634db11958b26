from django.urls import include, path

app_name = "dashboard"

# The rooms: the pipeline (home, board, candidates, notes, export), posting management,
# interviewers' scorecards, offers, the Inbox of replies no application claimed, and reports.
urlpatterns = [
    path("", include("dashboard.urls_pipeline")),
    path("", include("dashboard.urls_sourcing")),
    path("postings/", include("dashboard.urls_postings")),
    path("interviews/", include("dashboard.urls_scorecards")),
    path("interviews/", include("dashboard.urls_interviews")),
    path("offers/", include("dashboard.urls_offers")),
    path("inbox/", include("dashboard.urls_inbox")),
    path("templates/", include("dashboard.urls_templates")),
    path("reports/fairness/", include("dashboard.urls_fairness")),
    path("reports/", include("dashboard.urls_reports")),
]
