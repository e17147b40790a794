"""URLs of the hard-task quotas (mounted at /quotas/)."""

from django.urls import path

from . import views

app_name = "quotas"

urlpatterns = [
    path("", views.MineView.as_view(), name="mine"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("new/", views.RegisterNewView.as_view(), name="register_new"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("registrations/<int:pk>/", views.DecideView.as_view(), name="decide"),
    path("short/", views.ShortView.as_view(), name="short"),
]
