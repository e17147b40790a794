from django.contrib.auth import views as auth_views
from django.urls import path

from .views import pages

app_name = "tasks"

urlpatterns = [
    path("tasks/<int:pk>/", pages.TaskDetailView.as_view(), name="detail"),
]

# Project-level names (no namespace) live in config/urls via tasks.urls_root.
root_urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
