from django.urls import include, path

app_name = "dashboard"

# Two rooms: the pipeline (home, board, candidates, notes, export) and posting management.
urlpatterns = [
    path("", include("dashboard.urls_pipeline")),
    path("postings/", include("dashboard.urls_postings")),
    path("interviews/", include("dashboard.urls_interviews")),
]
