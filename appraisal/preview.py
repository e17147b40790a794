"""What a change of the score rules would do to a past month, before it is
saved: every person's and unit's score under the rules in force and under
the proposed ones, from the same counts (``selectors.month_counts``: two
queries), with the difference. Nothing is written. Confirmed months are
frozen: they are shown, marked, and would not change."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from units.models import Unit, User

from . import rules, selectors
from .models import PersonScore, RuleSet, ScoringRound


@dataclass
class PreviewRow:
    unit_id: int
    unit_name: str
    person_id: int | None
    person_name: str
    current: Decimal | None
    proposed: Decimal | None
    frozen: bool

    @property
    def diff(self) -> Decimal | None:
        if self.frozen or self.current is None or self.proposed is None:
            return None
        return self.proposed - self.current

    @property
    def changed(self) -> bool:
        return not self.frozen and self.current != self.proposed


def rules_preview(candidate, current: RuleSet, month, today, *, limit=200) -> dict:
    from .services import _seats  # one membership query

    counts = selectors.month_counts(month, today)
    seats = _seats()
    keys = set(counts) | set(seats)
    frozen_people = set(
        PersonScore.objects.filter(
            round__month=month, confirmed_at__isnull=False
        ).values_list("round__unit_id", "person_id")
    )
    frozen_units = set(
        ScoringRound.objects.filter(month=month, frozen_at__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    unit_names = dict(
        Unit.objects.filter(pk__in={u for u, _p in keys}).values_list("pk", "name")
    )
    people_names = dict(
        User.objects.filter(pk__in={p for _u, p in keys}).values_list("pk", "full_name")
    )
    people, units = [], []
    by_unit = defaultdict(rules.MonthCounts)
    for key in keys:
        value = counts.get(key, rules.MonthCounts())
        by_unit[key[0]] = by_unit[key[0]] + value
        people.append(
            PreviewRow(
                key[0],
                unit_names.get(key[0], ""),
                key[1],
                people_names.get(key[1], ""),
                rules.compute_score(value, current).points,
                rules.compute_score(value, candidate).points,
                key in frozen_people,
            )
        )
    for unit_id, value in by_unit.items():
        units.append(
            PreviewRow(
                unit_id,
                unit_names.get(unit_id, ""),
                None,
                "",
                rules.compute_score(value, current, unit=True).points,
                rules.compute_score(value, candidate, unit=True).points,
                unit_id in frozen_units,
            )
        )

    def order(row):
        return (
            -(abs(row.diff) if row.diff is not None else -1),
            row.unit_name,
            row.person_name,
        )

    people.sort(key=order)
    units.sort(key=order)
    diffs = [r.diff for r in people if r.diff is not None]
    return {
        "month": month,
        "people": people[:limit],
        "units": units[:limit],
        "people_total": len(people),
        "units_total": len(units),
        "changed": sum(1 for r in people if r.changed),
        "units_changed": sum(1 for r in units if r.changed),
        "frozen": sum(1 for r in people if r.frozen),
        "up": sum(1 for d in diffs if d > 0),
        "down": sum(1 for d in diffs if d < 0),
        "mean_diff": (sum(diffs) / len(diffs)).quantize(rules.TENTH) if diffs else None,
        "limit": limit,
    }
