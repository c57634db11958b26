from django.urls import path

from dashboard import views_pipeline as views

urlpatterns = [
    path("", views.home, name="home"),
]
