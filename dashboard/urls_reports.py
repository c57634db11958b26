from django.urls import path

from dashboard import views_reports as views

# Mounted at /dashboard/reports/.
urlpatterns = [
    path("", views.reports, name="reports"),
    path("<slug:report>.csv", views.report_csv, name="report_csv"),
]
