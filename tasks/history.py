"""A task's change history in plain Vietnamese, from its simple-history rows.

Each entry says who, when, what changed from what to what, and why::

    Lê Bí Thư — 05/12/2026 14:30 — Cập nhật
      Hạn hoàn thành: 10/12/2026 → 20/12/2026
      Lý do: Gia hạn đến 20/12/2026

Field names are the model's verbose names, choices show their labels,
dates are dd/mm/yyyy. Names behind foreign keys are resolved with one query
per related model for the whole history, never one per row, so the page
costs the same number of queries however long the history is.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Task

# The fields a reader cares about, in the order their changes are listed.
# Bookkeeping (version, timestamps of the row itself) is left out.
SHOWN_FIELDS = (
    "status",
    "progress",
    "deadline",
    "original_deadline",
    "start_date",
    "assignee",
    "lead_unit",
    "accountable_leader",
    "coordinating_units",
    "title",
    "description",
    "expected_result",
    "actual_result",
    "submitted_on",
    "completed_on",
    "directive",
    "directive_item",
    "is_hard",
    "is_hot",
    "assigned_by",
)
M2M_FIELDS = ("coordinating_units",)
# Shown on the entry that created the task.
CREATION_FIELDS = ("assignee", "lead_unit", "deadline")
TEXT_PREVIEW_CHARS = 120

HISTORY_TYPE_LABELS = {
    "+": gettext_lazy("Tạo nhiệm vụ"),
    "~": gettext_lazy("Cập nhật"),
    "-": gettext_lazy("Xóa"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.old} → {self.new}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Value:
    """A value shown on its own (on the creation entry)."""

    label: str
    value: str

    @property
    def text(self) -> str:
        return f"{self.label}: {self.value}"

    def __str__(self) -> str:
        return self.text


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str
    reason: str = ""
    changes: list = field(default_factory=list)
    history_id: int = 0
    version: int = 0

    @property
    def when_text(self) -> str:
        return timezone.localtime(self.when).strftime("%d/%m/%Y %H:%M")

    @property
    def lines(self) -> list[str]:
        lines = [c.text for c in self.changes]
        if self.reason:
            lines.append(_("Lý do: %(r)s") % {"r": self.reason})
        return lines

    @property
    def text(self) -> str:
        head = f"{self.who} — {self.when_text} — {self.action}"
        return "\n".join([head, *(f"  {line}" for line in self.lines)])


def _empty() -> str:
    return _("(trống)")


def _label(name: str) -> str:
    return capfirst(str(Task._meta.get_field(name).verbose_name))


def _raw(row, name: str):
    f = Task._meta.get_field(name)
    if f.many_to_many:
        return None
    return getattr(row, f.attname)


def _format(name: str, value, names: dict) -> str:
    f = Task._meta.get_field(name)
    if f.many_to_many:
        labels = sorted(names[f.related_model].get(pk, f"#{pk}") for pk in value or ())
        return ", ".join(labels) if labels else _empty()
    if value is None or value == "":
        return _empty()
    if f.is_relation:
        missing = _("#%(id)s (đã xóa)") % {"id": value}
        return names[f.related_model].get(value) or missing
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(f, models.TextField | models.CharField):
        return Truncator(" ".join(str(value).split())).chars(TEXT_PREVIEW_CHARS)
    return str(value)


def _resolve_names(wanted: dict[type, set]) -> dict[type, dict]:
    """One query per related model: {model: {pk: display name}}."""
    names: dict[type, dict] = defaultdict(dict)
    for model, ids in wanted.items():
        ids = {pk for pk in ids if pk is not None}
        if not ids:
            continue
        qs = model._default_manager.all()
        related = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and f.name in ("directive",)
        ]
        if related:
            qs = qs.select_related(*related)
        names[model] = {obj.pk: str(obj) for obj in qs.filter(pk__in=ids)}
    return names


def history_rows(task: Task):
    return (
        Task.history.filter(id=task.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def describe_history(task: Task, rows=None) -> list[HistoryEntry]:
    """The task's history, oldest first, in plain Vietnamese.

    Queries: the history rows (with their users), the coordinating units of
    every row, then one query per related model whose names are shown."""
    rows = list(history_rows(task) if rows is None else rows)
    if not rows:
        return []

    m2m_model = apps.get_model("tasks", "HistoricalTask_coordinating_units")
    units_by_row: dict[int, frozenset] = defaultdict(frozenset)
    grouped: dict[int, set] = defaultdict(set)
    for history_id, unit_id in m2m_model.objects.filter(
        history_id__in=[r.history_id for r in rows]
    ).values_list("history_id", "unit_id"):
        grouped[history_id].add(unit_id)
    for history_id, ids in grouped.items():
        units_by_row[history_id] = frozenset(ids)

    def value(row, name):
        if name in M2M_FIELDS:
            return units_by_row[row.history_id]
        return _raw(row, name)

    # First pass: what changed on each row (raw values) and which names
    # are needed to show them.
    raw_entries = []
    wanted: dict[type, set] = defaultdict(set)
    previous = None
    for row in rows:
        diffs = []
        names_in_row = CREATION_FIELDS if previous is None else SHOWN_FIELDS
        for name in names_in_row:
            new = value(row, name)
            if previous is None:
                diffs.append((name, None, new))
            else:
                old = value(previous, name)
                if old != new:
                    diffs.append((name, old, new))
        for name, old, new in diffs:
            f = Task._meta.get_field(name)
            if f.is_relation:
                if f.many_to_many:
                    wanted[f.related_model].update(old or ())
                    wanted[f.related_model].update(new or ())
                else:
                    wanted[f.related_model].update({old, new})
        echo = (
            previous is not None
            and raw_entries
            and row.version == previous.version
            and all(name in M2M_FIELDS for name, _old, _new in diffs)
        )
        if echo:
            # The same save seen again: simple-history writes one more row
            # when the coordinating units are set (or merely touched) right
            # after a save. Its changes belong to that save's entry.
            raw_entries[-1][2].extend(diffs)
        else:
            raw_entries.append((row, previous is None, diffs))
        previous = row

    names = _resolve_names(wanted)

    entries = []
    for row, created, diffs in raw_entries:
        reason = (row.history_change_reason or "").strip()
        if not created and not diffs and not reason:
            continue
        if created:
            changes = [
                Value(_label(n), _format(n, new, names)) for n, _old, new in diffs
            ]
        else:
            changes = [
                Change(_label(n), _format(n, old, names), _format(n, new, names))
                for n, old, new in diffs
            ]
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=str(user) if user else _("Hệ thống"),
                action=str(HISTORY_TYPE_LABELS.get(row.history_type, row.history_type)),
                reason=reason,
                changes=changes,
                history_id=row.history_id,
                version=row.version,
            )
        )
    return entries
