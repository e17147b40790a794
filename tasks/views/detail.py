from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.views.generic import DetailView

from ..models import Task


class TaskDetailView(LoginRequiredMixin, DetailView):
    template_name = "tasks/detail.html"
    context_object_name = "task"

    def get_queryset(self):
        return (
            Task.objects.visible_to(self.request.user)
            .with_timeliness()
            .select_related("lead_unit", "assignee", "accountable_leader", "directive")
        )


urlpatterns = [
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="detail"),
]
