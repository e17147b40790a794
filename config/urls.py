from django.contrib import admin
from django.urls import include, path

from tasks.views.accounts import urlpatterns as account_urlpatterns
from tasks.views.health import health

admin.site.site_header = "Theo dõi thực hiện chỉ thị — Quản trị"
admin.site.site_title = "Quản trị"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # For monitoring: no login, no secrets (tasks/views/health.py).
    path("health/", health, name="health"),
    *account_urlpatterns,
    path("appraisal/", include("appraisal.urls")),
    path("quotas/", include("quotas.urls")),
    path("conduct/", include("conduct.urls")),
    path("supervision/", include("supervision.urls")),
    path("", include("tasks.urls")),
]
