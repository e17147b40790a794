from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import ListView

from ..models import Task


class HomeView(LoginRequiredMixin, ListView):
    template_name = "tasks/home.html"
    context_object_name = "tasks"
    paginate_by = 50

    def get_queryset(self):
        return (
            Task.objects.visible_to(self.request.user)
            .with_timeliness()
            .select_related("lead_unit", "assignee")
            .order_by("deadline", "pk")
        )
