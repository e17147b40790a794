"""Panels other apps add to the committee dashboard.

An app registers a provider in its ``AppConfig.ready()``::

    from tasks.dashboard_panels import register

    register("quotas", quota_panel)

A provider is called with the dashboard's state (``DashboardPanelContext``)
and returns ``None`` (nothing to show to this user here) or a ``Panel``: a
template (rendered inside the dashboard, with the page's context plus
``panel``) and the data it shows. Providers run in registration order, each
adding a fixed number of queries (pinned by the dashboard query tests of the
app). The dashboard's permission checks have run before: the user may see
the node; a provider narrows further (leaders only, and so on).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from config.side_reads import run_aside

from .selectors import DashboardQuery


@dataclass(frozen=True)
class DashboardPanelContext:
    user: Any
    scope: Any  # units.scope.Scope of the user
    node_unit: Any  # the Unit the dashboard stands at (None: every root)
    children: list
    query: DashboardQuery | None  # None when there is no directive yet
    today: datetime.date
    is_leader_here: bool  # the user leads the node (may see people)
    # (start, end) when a panel is loaded on its own, without a query.
    period: tuple | None = None


@dataclass
class Panel:
    key: str
    template: str
    data: dict = field(default_factory=dict)
    # Where the panel goes: "panels" (beside hard tasks and buck-passing) or
    # "end" (a full-width section before the definitions).
    place: str = "panels"


_PROVIDERS: list[tuple[str, Callable[[DashboardPanelContext], Panel | None]]] = []


def register(key: str, provider: Callable[[DashboardPanelContext], Panel | None]):
    if any(existing == key for existing, _provider in _PROVIDERS):
        return
    _PROVIDERS.append((key, provider))


def panels_for(context: DashboardPanelContext) -> list[Panel]:
    shown = []
    for _key, provider in _PROVIDERS:
        panel = provider(context)
        if panel is not None:
            shown.append(panel)
    return shown


class PanelsAt:
    """The panels of one place on the page, being read on the side
    (``config.side_reads``): waited for when the template iterates them."""

    def __init__(self, deferred, beside_lists: bool):
        self._deferred = deferred
        self._beside_lists = beside_lists

    def _panels(self) -> list[Panel]:
        return [
            p
            for p in self._deferred.result()
            if (p.place == "panels") == self._beside_lists
        ]

    def __iter__(self):
        return iter(self._panels())

    def __len__(self):
        return len(self._panels())


def panels_aside(context: DashboardPanelContext) -> tuple[PanelsAt, PanelsAt]:
    """``panels_for``, read on the side: (those beside the lists, those at
    the end)."""
    deferred = run_aside(panels_for, context)
    return PanelsAt(deferred, True), PanelsAt(deferred, False)
