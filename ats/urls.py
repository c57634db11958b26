from django.contrib import admin
from django.urls import include, path

from ats import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("applications.urls")),
    path("", include("interviews.urls")),
    path("", include("offers.urls")),
    path("", include("reports.urls")),
    path("", include("postings.urls")),
]

handler400 = "ats.views.bad_request"
handler403 = "dashboard.errors.permission_denied"
handler404 = "dashboard.errors.page_not_found"
