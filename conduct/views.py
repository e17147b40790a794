"""The buck-passing record pages: a unit's (``conduct:unit``) and a
person's (``conduct:person``), over a period (``?from=&to=``, this year to
today by default; a bad date is reported and the default used).

Who sees them:

- a unit's: leaders of the unit or of a unit above it, committee reviewers
  whose scope covers it, superusers; anyone else signed in gets a 403 when
  they follow no unit at all, a 404 for a unit outside their scope;
- a person's: the person themself (their whole record), leaders and
  reviewers covering a unit the person belongs to (only the moves out of
  units in their own scope), superusers; anyone else a 404.

Queries per page are fixed (pinned in tests/conduct/test_pages.py).
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from tasks.calendar import local_today
from tasks.dashboard_panels import DashboardPanelContext
from tasks.views.mixins import HtmxLoginRequiredMixin
from units.models import Membership, Unit, User
from units.scope import get_scope

from .panels import conduct_panel
from .selectors import person, record, subtree, within

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PeriodParams(forms.Form):
    start = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": gettext_lazy("“Từ ngày” không phải một ngày.")},
    )
    end = forms.DateField(
        required=False,
        input_formats=DATE_FORMATS,
        error_messages={"invalid": gettext_lazy("“Đến ngày” không phải một ngày.")},
    )

    def __init__(self, data, today):
        super().__init__({"start": data.get("from", ""), "end": data.get("to", "")})
        self.today = today

    def period(self) -> tuple[datetime.date, datetime.date, list[str]]:
        self.is_valid()
        notices = [str(e) for errors in self.errors.values() for e in errors]
        start = self.cleaned_data.get("start") or self.today.replace(month=1, day=1)
        end = self.cleaned_data.get("end") or self.today
        if start > end:
            notices.append(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
            start, end = self.today.replace(month=1, day=1), self.today
        return start, end, notices


class RecordMixin(HtmxLoginRequiredMixin):
    http_method_names = ["get", "head", "options"]

    def period(self):
        return PeriodParams(self.request.GET, local_today()).period()


def linkable_people(scope, user_ids) -> set[int]:
    """The people whose record page the viewer may open: those with a seat
    in a unit the viewer covers (one query). A leader above who moved the
    unit's task is listed on the unit's page, but his own page is not the
    viewer's to open."""
    if scope.is_all:
        return set(user_ids)
    rows = Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "unit__path"
    )
    return {user_id for user_id, path in rows if scope.covers_path(path)}


def unit_in_scope(user, pk):
    """The user's scope and the unit ``pk``: a 403 for someone who follows
    no unit, a 404 for a unit outside their scope (or none)."""
    scope = get_scope(user)
    if not (scope.is_all or scope.subtree_paths):
        raise PermissionDenied(
            _("Trang này dành cho lãnh đạo và cán bộ theo dõi của cấp ủy.")
        )
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not scope.covers_path(unit.path):
        raise Http404(_("Không có đơn vị này trong phạm vi bạn theo dõi."))
    return scope, unit


class UnitRecordView(RecordMixin, View):
    template_name = "conduct/unit.html"

    def get(self, request, pk):
        scope, unit = unit_in_scope(request.user, pk)
        start, end, notices = self.period()
        rec = record(candidates=subtree(unit.path), start=start, end=end)
        return render(
            request,
            self.template_name,
            {
                "unit": unit,
                "record": rec,
                "start": start,
                "end": end,
                "notices": notices,
                "linkable": linkable_people(scope, [r.subject_id for r in rec.people]),
            },
        )


class PanelView(RecordMixin, View):
    """The dashboard's buck-passing panel for one node and period, loaded
    after the dashboard (htmx). Who may: as the unit's record."""

    template_name = "conduct/partials/_panel.html"

    def get(self, request, pk):
        scope, unit = unit_in_scope(request.user, pk)
        start, end, _notices = self.period()
        children = list(
            Unit.objects.filter(
                path__startswith=unit.path, depth=unit.depth + 1
            ).order_by("path")
        )
        panel = conduct_panel(
            DashboardPanelContext(
                user=request.user,
                scope=scope,
                node_unit=unit,
                children=children,
                query=None,
                today=local_today(),
                is_leader_here=False,
                period=(start, end),
            )
        )
        return render(request, self.template_name, {"panel": panel})


class PersonRecordView(RecordMixin, View):
    template_name = "conduct/person.html"

    def get(self, request, pk):
        viewer = request.user
        scope = get_scope(viewer)
        subject = User.objects.filter(pk=pk).first()
        if subject is None:
            raise Http404(_("Không tìm thấy người này."))
        if subject.pk == viewer.pk or scope.is_all:
            candidates, partial = person(subject.pk), False
        else:
            paths = list(
                Membership.objects.filter(user=subject).values_list(
                    "unit__path", flat=True
                )
            )
            if not any(scope.covers_path(p) for p in paths):
                raise Http404(_("Không tìm thấy người này."))
            candidates = person(subject.pk) & within(scope.subtree_paths)
            partial = True
        start, end, notices = self.period()
        rec = record(candidates=candidates, start=start, end=end)
        return render(
            request,
            self.template_name,
            {
                "subject": subject,
                "record": rec,
                "start": start,
                "end": end,
                "notices": notices,
                "partial": partial,
                "own": subject.pk == viewer.pk,
            },
        )
