from django.urls import path

from postings import views

app_name = "postings"

urlpatterns = [
    path("", views.posting_list, name="list"),
    path("jobs/<slug:slug>/", views.posting_detail, name="detail"),
]
