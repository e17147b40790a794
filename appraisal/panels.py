"""The dashboard panel: the state of last month's scoring rounds under the
node (who has self-assessed, who waits for the leader, who is confirmed)
and how many units are flagged for "cào bằng". One query."""

from django.urls import reverse

from tasks.dashboard_panels import DashboardPanelContext, Panel
from tasks.selectors import PeriodKind

from . import selectors


def panel_month(context: DashboardPanelContext):
    """The dashboard's month when it shows one that is over, else the last
    month that is over."""
    query = context.query
    last = selectors.previous_month(context.today)
    if query is not None and query.period.kind == PeriodKind.MONTH:
        start = query.period.start
        if start <= last:
            return start
    return last


def scoring_panel(context: DashboardPanelContext) -> Panel | None:
    month = panel_month(context)
    path = context.node_unit.path if context.node_unit is not None else ""
    totals = selectors.panel_totals(month, path)
    params = f"?month={month:%Y-%m}"
    if context.node_unit is not None:
        params += f"&unit={context.node_unit.pk}"
    people = totals["people"] or 0
    return Panel(
        key="appraisal",
        template="appraisal/partials/_dashboard_panel.html",
        data={
            "month": month,
            "rounds": totals["rounds"],
            "people": people,
            "self_assessed": totals["self_assessed"] or 0,
            "waiting_self": people - (totals["self_assessed"] or 0),
            "waiting_leader": (totals["self_assessed"] or 0)
            - (totals["leader_assessed"] or 0),
            "waiting_confirm": (totals["leader_assessed"] or 0)
            - (totals["confirmed"] or 0),
            "confirmed": totals["confirmed"] or 0,
            "flat": totals["flat"],
            "url": reverse("appraisal:index") + params,
            "flat_url": reverse("appraisal:index") + params + "&flat=1",
        },
    )
