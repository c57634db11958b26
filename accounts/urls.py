from django.urls import include, path

from accounts import views

urlpatterns = [
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # login, logout (POST only), password change and the rest of the reset flow.
    path("", include("django.contrib.auth.urls")),
]
