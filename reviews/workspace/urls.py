from django.urls import path

from reviews.workspace import journalist, journalist_reports, reviewer, views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignIn.as_view(), name="sign-in"),
    path("sign-out/", views.SignOut.as_view(), name="sign-out"),
    *journalist.urlpatterns,
    *journalist_reports.urlpatterns,
    *reviewer.urlpatterns,
]
