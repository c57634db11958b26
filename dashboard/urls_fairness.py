from django.urls import path

from dashboard import views_fairness as views

# Mounted at /dashboard/reports/fairness/: recruiters and admins only.
urlpatterns = [
    path("", views.fairness_index, name="reports-fairness"),
    path("postings/<int:posting_pk>/", views.fairness_posting, name="reports-fairness-posting"),
]
