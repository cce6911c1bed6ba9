from django.urls import path
from django.views.generic import RedirectView

from factcheck.site import views
from factcheck.site.ratings_css import ratings_css

app_name = "factcheck"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="factcheck:list", permanent=False), name="home"),
    path("fact-checks/", views.fact_check_list, name="list"),
    path("fact-checks/<slug:slug>/", views.fact_check_detail, name="detail"),
    path("fact-checks/<slug:slug>/v<int:number>/", views.fact_check_version, name="version"),
    path("claimants/<slug:slug>/", views.claimant_page, name="claimant"),
    path("topics/", views.topic_index, name="topics"),
    path("topics/<slug:slug>/", views.topic_page, name="topic"),
    path("methodology/", views.methodology, name="methodology"),
    path("corrections/", views.corrections, name="corrections"),
    path("ratings.css", ratings_css, name="ratings-css"),
]
