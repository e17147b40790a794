"""The task page, and the permission-checked download of evidence files.

The page starts from ``Task.objects.visible_to(user)``: a task outside the
user's scope is a 404, exactly like a missing id. Its number of queries is
fixed, whatever the number of reports, files, extensions, transfers and
history rows.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView

from ..calendar import local_today
from ..history import describe_history
from ..models import (
    EvidenceFile,
    ExplanationRequest,
    ExtensionRequest,
    ProgressReport,
    Task,
    Transfer,
)
from .actions import TaskState, available_actions
from .mixins import HtmxLoginRequiredMixin


class TaskDetailView(HtmxLoginRequiredMixin, DetailView):
    template_name = "tasks/detail.html"
    context_object_name = "task"

    def get_queryset(self):
        self.today = local_today()
        return (
            Task.objects.visible_to(self.request.user)
            .with_timeliness(self.today)
            # Read the requests for explanation only for a task that has
            # some: most never do, and their page costs no extra query.
            .annotate(
                has_explanations=Exists(
                    ExplanationRequest.objects.filter(task=OuterRef("pk"))
                )
            )
            .select_related(
                "lead_unit",
                "assignee",
                "accountable_leader",
                "assigned_by",
                "directive",
                "directive_item",
            )
            .prefetch_related(
                "coordinating_units",
                Prefetch(
                    "reports",
                    queryset=ProgressReport.objects.select_related("author")
                    .prefetch_related("files")
                    .order_by("-created_at", "-pk"),
                ),
                Prefetch(
                    "extensions",
                    queryset=ExtensionRequest.objects.select_related(
                        "requested_by", "decided_by"
                    ).order_by("requested_at", "pk"),
                ),
                Prefetch(
                    "transfers",
                    queryset=Transfer.objects.select_related(
                        "from_unit",
                        "to_unit",
                        "from_assignee",
                        "to_assignee",
                        "requested_by",
                        "decided_by",
                    ).order_by("requested_at", "pk"),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task = self.object
        extensions = list(task.extensions.all())
        transfers = list(task.transfers.all())
        explanations = []
        if task.has_explanations:
            explanations = list(
                task.explanations.select_related(
                    "unit", "requested_by", "answered_by"
                ).order_by("requested_at", "pk")
            )
        state = TaskState.from_prefetched(task, extensions, transfers, explanations)
        context.update(
            {
                "today": self.today,
                "coordinating_units": list(task.coordinating_units.all()),
                "reports": list(task.reports.all()),
                "extensions": extensions,
                "transfers": transfers,
                "explanations": explanations,
                "state": state,
                "action_links": [
                    (action, action.url(task))
                    for action in available_actions(self.request.user, state)
                ],
                "history": describe_history(task),
            }
        )
        return context


class EvidenceDownloadView(HtmxLoginRequiredMixin, View):
    """An evidence file, as an attachment under its original (Vietnamese)
    name. Files are never served from a public URL: a file whose task the
    user cannot see is a 404."""

    def get(self, request, pk):
        visible = Task.objects.visible_to(request.user).values("pk")
        evidence = get_object_or_404(
            EvidenceFile.objects.filter(report__task__in=visible), pk=pk
        )
        try:
            handle = evidence.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404(_("Không tìm thấy tệp.")) from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type or "application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        return response


urlpatterns = [
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="detail"),
    path("evidence/<int:pk>/", EvidenceDownloadView.as_view(), name="evidence"),
]
