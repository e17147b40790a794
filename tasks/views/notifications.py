"""The notification bell and the list of one's alerts.

Only the recipient sees or marks an alert: every query starts from
``recipient=request.user``, so someone else's alert is a 404. Marking read
is POST-only; an htmx request gets the updated fragment and the bell (out of
band), a plain form post is redirected back.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from ..alerts import alert_mark_all_read, alert_mark_read
from ..models import Alert
from .mixins import HtmxLoginRequiredMixin, HtmxPartialMixin

PAGE_SIZE = 20


def _back(request) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("tasks:notifications")


class NotificationListView(HtmxLoginRequiredMixin, HtmxPartialMixin, ListView):
    template_name = "tasks/notifications.html"
    partial_template_name = "tasks/partials/_bell_list.html"
    context_object_name = "alerts"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Alert.objects.of_recipient(self.request.user)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


class MarkReadView(HtmxLoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        # Someone else's alert, or none, is a 404.
        alert = get_object_or_404(Alert.objects.of_recipient(request.user), pk=pk)
        alert = alert_mark_read(alert=alert)
        if request.htmx:
            return render(
                request,
                "tasks/partials/_bell_item.html",
                {"alert": alert, "with_bell": True},
            )
        return redirect(_back(request))


class MarkAllReadView(HtmxLoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        alert_mark_all_read(user=request.user)
        if request.htmx:
            view = NotificationListView(request=request, kwargs={})
            view.object_list = view.get_queryset()
            context = view.get_context_data()
            context["with_bell"] = True
            return render(request, "tasks/partials/_bell_list.html", context)
        return redirect(_back(request))


class BellView(View):
    """The bell alone, for the top bar's periodic refresh. Signed out: no
    content, and the bell stays as it was."""

    http_method_names = ["get"]

    def get(self, request):
        if not request.user.is_authenticated:
            return HttpResponse(status=204)
        response = render(request, "tasks/partials/_bell.html")
        response["Cache-Control"] = "no-store"
        return response


urlpatterns = [
    path("notifications/", NotificationListView.as_view(), name="notifications"),
    path("notifications/bell/", BellView.as_view(), name="bell"),
    path(
        "notifications/<int:pk>/read/", MarkReadView.as_view(), name="notification_read"
    ),
    path(
        "notifications/read-all/",
        MarkAllReadView.as_view(),
        name="notifications_read_all",
    ),
]
