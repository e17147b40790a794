from django.shortcuts import redirect
from django.views import View

from units.scope import get_scope

from .mixins import HtmxLoginRequiredMixin


class HomeView(HtmxLoginRequiredMixin, View):
    """Each role lands where it works: committee reviewers on the dashboard,
    leaders (and admins, who see everything) on their units' tasks, staff on
    their own tasks."""

    def get(self, request, *args, **kwargs):
        scope = get_scope(request.user)
        if scope.reviewer_paths and not scope.leader_paths and not scope.is_all:
            return redirect("tasks:dashboard")
        if scope.is_all or scope.subtree_paths:
            return redirect("tasks:unit")
        return redirect("tasks:mine")
