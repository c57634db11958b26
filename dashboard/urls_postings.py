from django.urls import path

from dashboard import views_postings as views

urlpatterns = [
    path("", views.posting_list, name="postings"),
]
