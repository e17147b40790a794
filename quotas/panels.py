"""The hard-task quota panel of the committee dashboards (registered in
``QuotasConfig.ready``).

For the quota period that contains the end of the dashboard's period (or
today, without a directive), each child of the node — its whole subtree —
and the node's own people: how many people owe hard tasks, how many met
their quota, how many are short. Each "short" count links to the list of
those people (``quotas:short``), where leaders over the unit see names and
reviewers see the numbers per unit.

Queries: the period (one), the counts per child (one grouped query).
"""

from urllib.parse import urlencode

from django.urls import reverse

from tasks.dashboard_panels import DashboardPanelContext, Panel

from .selectors import period_on, shortfalls_by_unit

TEMPLATE = "quotas/partials/_panel.html"
# What the panel adds to a dashboard page: the period, the counts per child
# (one grouped query); one only when there is no period yet.
PANEL_QUERIES = 2


def short_url(unit_id: int | None, period_id: int) -> str:
    params = {"period": period_id}
    if unit_id is not None:
        params["unit"] = unit_id
    return f"{reverse('quotas:short')}?{urlencode(params)}"


def quota_panel(ctx: DashboardPanelContext) -> Panel | None:
    day = ctx.query.period.end if ctx.query is not None else ctx.today
    period = period_on(day)
    if period is None:
        return Panel(key="quotas", template=TEMPLATE, data={"period": None})
    node_path = ctx.node_unit.path if ctx.node_unit is not None else ""
    rows = shortfalls_by_unit(period, node_path, list(ctx.children))
    node_id = ctx.node_unit.pk if ctx.node_unit is not None else None
    lines = []
    for row in rows:
        unit_id = node_id if row.own else row.unit_id
        lines.append(
            {
                "row": row,
                "name": ctx.node_unit.name if row.own else row.name,
                "short_url": (
                    short_url(unit_id, period.pk)
                    if row.short and unit_id is not None
                    else None
                ),
            }
        )
    total_people = sum(r.people for r in rows)
    total_short = sum(r.short for r in rows)
    return Panel(
        key="quotas",
        template=TEMPLATE,
        data={
            "period": period,
            "lines": lines,
            "people": total_people,
            "short": total_short,
            "met": total_people - total_short,
            "missing": sum(r.missing for r in rows),
            "all_url": short_url(node_id, period.pk) if node_id else None,
        },
    )
