from django.contrib.sitemaps.views import sitemap
from django.urls import path

from postings import views
from postings.sitemaps import SITEMAPS

app_name = "postings"

urlpatterns = [
    path("", views.posting_list, name="list"),
    path("jobs/<slug:slug>/", views.posting_detail, name="detail"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
