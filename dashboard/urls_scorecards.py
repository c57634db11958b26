from django.urls import path

from dashboard import views_scorecards as views

# Mounted at /dashboard/interviews/: what interviewers work on. The interview pages of
# scheduling share the prefix; these paths stay clear of theirs.
interview = "<int:pk>/"

urlpatterns = [
    path("mine/", views.my_interviews, name="my_interviews"),
    path(interview + "scorecard/", views.scorecard, name="scorecard"),
    path(interview + "scorecard/autosave/", views.scorecard_autosave, name="scorecard_autosave"),
    path(interview + "resume/", views.resume_inline, name="interview_resume_inline"),
    path(interview + "resume/download/", views.resume_download, name="interview_resume_download"),
]
