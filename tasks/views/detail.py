from django.urls import path

from .pages import TaskDetailView

urlpatterns = [
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="detail"),
]
