"""The buck-passing flags panel of the committee dashboards (registered in
``ConductConfig.ready``): for the dashboard's period and node, how many
flags each child's subtree has (a link to the unit's record page) and the
first flags with the task paths that triggered them.

The flags are computed on read from every hop of the period under the node
(``conduct.selectors.record``): over a whole city that takes seconds. So the
dashboard does not wait for them: it shows a slot (no query) that loads the
panel after the page (``conduct:panel``, htmx), or links to the unit's
record without JavaScript. The panel itself costs two queries: the active
rules and the hops (plus the children of the node in the view).
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse

from tasks.dashboard_panels import DashboardPanelContext, Panel

from .selectors import flags_by_child, record, subtree

TEMPLATE = "conduct/partials/_panel.html"
SHOWN_FLAGS = 5
# What the slot adds to a dashboard page (the panel loads after it).
PANEL_QUERIES = 0
# What the panel costs, loaded on its own: the active rules and the hops.
PANEL_DATA_QUERIES = 2
SLOT_TEMPLATE = "conduct/partials/_panel_slot.html"


def record_url(name: str, pk: int, start, end) -> str:
    query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    return f"{reverse(name, args=[pk])}?{query}"


def _period(ctx: DashboardPanelContext):
    if ctx.period is not None:
        return ctx.period
    if ctx.query is not None:
        return ctx.query.period.start, ctx.query.period.end
    return ctx.today.replace(month=1, day=1), ctx.today


def conduct_slot(ctx: DashboardPanelContext) -> Panel | None:
    """The dashboard's slot: the panel's address (no query). Every root at
    once (superusers with several trees) has no unit to load it for."""
    if ctx.node_unit is None:
        return None
    start, end = _period(ctx)
    return Panel(
        key="conduct",
        template=SLOT_TEMPLATE,
        data={
            "url": record_url("conduct:panel", ctx.node_unit.pk, start, end),
            "record_url": record_url("conduct:unit", ctx.node_unit.pk, start, end),
        },
    )


def conduct_panel(ctx: DashboardPanelContext) -> Panel | None:
    start, end = _period(ctx)
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
