"""URLs of supervision and surprise inspections (mounted at /supervision/)."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", views.TeamView.as_view(), name="team"),
    path("teams/<int:pk>/targets/", views.TargetAddView.as_view(), name="target_add"),
    path("teams/<int:pk>/plan/", views.PlanView.as_view(), name="plan"),
    path(
        "teams/<int:pk>/inspect/",
        views.InspectionCreateView.as_view(),
        name="inspect",
    ),
    path("visits/<int:pk>/", views.VisitView.as_view(), name="visit"),
    path("visits/<int:pk>/record/", views.VisitRecordView.as_view(), name="record"),
    path(
        "visits/<int:pk>/findings/",
        views.FindingAddView.as_view(),
        name="finding_add",
    ),
    path("visits/<int:pk>/file/", views.VisitFileView.as_view(), name="file"),
    path("findings/", views.FindingListView.as_view(), name="findings"),
    path("findings/<int:pk>/", views.FindingView.as_view(), name="finding"),
    path(
        "findings/<int:pk>/remediate/",
        views.RemediationView.as_view(),
        name="remediate",
    ),
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("summary/print/", views.SummaryPrintView.as_view(), name="summary_print"),
    path("summary/export/", views.SummaryExportView.as_view(), name="summary_export"),
    path("tasks/<int:pk>/", views.TaskFindingView.as_view(), name="task_finding"),
]
