"""Sign-in, sign-out and the landing page (project-level URL names:
``login``, ``logout``, ``home``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .pages import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
