"""URLs of the daily-work pages. Each views module owns its own
``urlpatterns`` list; this file only stitches them together."""

from .views import (
    actions,
    assign,
    dashboards,
    detail,
    lists,
    notifications,
    preferences,
)

app_name = "tasks"

urlpatterns = [
    *lists.urlpatterns,
    *detail.urlpatterns,
    *actions.urlpatterns,
    *assign.urlpatterns,
    *notifications.urlpatterns,
    *preferences.urlpatterns,
    *dashboards.urlpatterns,
]
