"""URLs of the buck-passing record (mounted at /conduct/)."""

from django.urls import path

from . import views

app_name = "conduct"

urlpatterns = [
    path("unit/<int:pk>/", views.UnitRecordView.as_view(), name="unit"),
    path("person/<int:pk>/", views.PersonRecordView.as_view(), name="person"),
    path("panel/<int:pk>/", views.PanelView.as_view(), name="panel"),
]
