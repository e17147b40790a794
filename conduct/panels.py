"""The buck-passing flags panel of the committee dashboards (registered in
``ConductConfig.ready``): for the dashboard's period and node, how many
flags each child's subtree has (a link to the unit's record page) and the
first flags with the task paths that triggered them.

Queries: the active rules and the hops (``conduct.selectors.record``), two.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from tasks.dashboard_panels import DashboardPanelContext, Panel

from .selectors import flags_by_child, record, subtree

TEMPLATE = "conduct/partials/_panel.html"
SHOWN_FLAGS = 5
# What the panel adds to a dashboard page: the active rules and the hops.
PANEL_QUERIES = 2


def record_url(name: str, pk: int, start, end) -> str:
    query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    return f"{reverse(name, args=[pk])}?{query}"


def conduct_panel(ctx: DashboardPanelContext) -> Panel | None:
    if ctx.query is not None:
        start, end = ctx.query.period.start, ctx.query.period.end
    else:
        start, end = ctx.today.replace(month=1, day=1), ctx.today
    node_path = ctx.node_unit.path if ctx.node_unit is not None else ""
    rec = record(
        candidates=subtree(node_path) if node_path else Q(), start=start, end=end
    )
    children = list(ctx.children)
    counts, own = flags_by_child(rec.flags, node_path, children)
    lines = [
        {
            "name": child.name,
            "unit_id": child.pk,
            "flags": counts[child.pk],
            "url": record_url("conduct:unit", child.pk, start, end),
        }
        for child in children
    ]
    node = ctx.node_unit
    return Panel(
        key="conduct",
        template=TEMPLATE,
        data={
            "record": rec,
            "lines": lines,
            "own": own,
            "node_url": (
                record_url("conduct:unit", node.pk, start, end) if node else None
            ),
            "flags": rec.flags[:SHOWN_FLAGS],
            "more": max(len(rec.flags) - SHOWN_FLAGS, 0),
            "start": start,
            "end": end,
        },
    )
