"""The two task lists: "Việc của tôi" (tasks assigned to me) and "Việc của
đơn vị" (every task the user may see).

Queries per page, whatever the number of rows: session, user, the user's
memberships (scope), directives (filter choices), units (only for a unit
filter or a search), the timeliness counts (one aggregate, which is also
the paginator's count), the page of rows, the bell's unread count. A
repeat view of "Việc của tôi" comes from the cache (``tasks.page_cache``):
the session and the user only.
"""

from functools import partial

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from django_htmx.http import push_url

from .. import page_cache
from ..calendar import local_today
from ..choices import Timeliness
from ..filters import TaskFilterForm
from ..models import Task
from .mixins import HtmxLoginRequiredMixin, HtmxPartialMixin

PAGE_SIZE = 25


def timeliness_counts(qs) -> dict[str, int]:
    """Rows in each timeliness class, and the total, in one aggregate."""
    aggregates = {"total": Count("pk")}
    for klass in Timeliness.values:
        aggregates[klass] = Count("pk", filter=Q(timeliness=klass))
    return qs.aggregate(**aggregates)


class TaskListView(HtmxLoginRequiredMixin, HtmxPartialMixin, ListView):
    template_name = "tasks/list.html"
    partial_template_name = "tasks/partials/_list_results.html"
    context_object_name = "tasks"
    paginate_by = PAGE_SIZE
    title = ""
    intro = ""
    empty_message = _("Không có nhiệm vụ nào khớp với bộ lọc.")

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.today = local_today()
        form = self.filter_form = TaskFilterForm(
            self.request.GET, user=self.request.user
        )
        form.is_valid()
        qs = form.filter_queryset(self.base_queryset().with_timeliness(self.today))
        self.counts = timeliness_counts(qs)
        self.selected_timeliness = form.value("timeliness")
        if self.selected_timeliness:
            qs = qs.filter_timeliness(self.selected_timeliness, today=self.today)
        return qs.select_related(
            "directive", "lead_unit", "assignee", "accountable_leader"
        ).order_by(*form.ordering())

    def paginate_queryset(self, queryset, page_size):
        """Never a 404 for a bad page number: "abc" or "0" shows the first
        page, a page past the end shows the last one (and says so)."""
        paginator = self.get_paginator(queryset, page_size)
        # The aggregate already counted the rows: no second COUNT query.
        klass = self.selected_timeliness
        paginator.count = self.counts[klass] if klass else self.counts["total"]
        try:
            number = int(self.request.GET.get(self.page_kwarg, 1))
        except ValueError:
            number = 1
        self.page_out_of_range = number > paginator.num_pages
        page = paginator.page(min(max(number, 1), paginator.num_pages))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chips = [
            {
                "value": klass.value,
                "label": klass.label,
                "count": self.counts[klass.value],
                "active": self.selected_timeliness == klass.value,
            }
            for klass in Timeliness
        ]
        context.update(
            title=self.title,
            intro=self.intro,
            empty_message=self.empty_message,
            form=self.filter_form,
            chips=chips,
            total_count=self.counts["total"],
            today=self.today,
            page_out_of_range=self.page_out_of_range,
            list_url=self.request.path,
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.is_partial_request():
            # The address bar shows only the filters in use, so that a copied
            # link is short and reopens the same list.
            kept = QueryDict(mutable=True)
            for key, values in self.request.GET.lists():
                kept.setlist(key, [v for v in values if v])
            query = kept.urlencode()
            push_url(
                response, f"{self.request.path}?{query}" if query else self.request.path
            )
        return response


class MyTaskListView(TaskListView):
    """Served from the cache on a repeat view (``tasks.page_cache``): then
    only the session and the user are read."""

    title = _("Việc của tôi")
    intro = _("Nhiệm vụ được giao cho bạn thực hiện.")
    empty_message = _("Bạn chưa có nhiệm vụ nào khớp với bộ lọc.")

    def base_queryset(self):
        return Task.objects.filter(assignee=self.request.user)

    def get(self, request, *args, **kwargs):
        htmx = request.htmx
        # What the request changes beyond its path and query string: the
        # fragment or the page, and the filters' field sent out of band
        # unless the filter form itself asked (_list_results.html).
        variant = "/".join(
            [
                "fragment" if self.is_partial_request() else "page",
                "htmx" if htmx else "plain",
                "from-filters" if htmx and htmx.trigger == "task-filters" else "",
            ]
        )
        return page_cache.serve(
            request,
            page="tasks:mine",
            variant=variant,
            render=partial(super().get, request, *args, **kwargs),
        )


class UnitTaskListView(TaskListView):
    title = _("Việc của đơn vị")
    intro = _("Mọi nhiệm vụ trong phạm vi bạn được xem.")

    def base_queryset(self):
        return Task.objects.visible_to(self.request.user)


urlpatterns = [
    path("tasks/mine/", MyTaskListView.as_view(), name="mine"),
    path("tasks/", UnitTaskListView.as_view(), name="unit"),
]
