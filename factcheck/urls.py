from django.urls import path
from django.views.generic import RedirectView

from factcheck import views

app_name = "factcheck"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="factcheck:list", permanent=False), name="home"),
    path("fact-checks/", views.fact_check_list, name="list"),
    path("fact-checks/<slug:slug>/", views.fact_check_detail, name="detail"),
]
