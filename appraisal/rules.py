"""The monthly score and the period's classification, as pure functions of
counts and rules: no database, so that the page, the preview of a rule
change, the recomputation and the tests all get the same numbers.

The monthly score (100-point scale)::

    points = base
           + min(on_time × w, cap) + min(hard_done × w, cap)          bonuses
           − min(late × w, cap) − min(overdue × w, cap)
           − min(returned × w, cap) − min(extended × w, cap)          deductions

kept between 0 and 100 and rounded to one decimal (half up). A person or
unit with no task counted in the month has no score (``None``): nothing to
judge. For a unit, each count is first converted to a number of tasks
(``unit_per_tasks``, 10 by default: "per 10 tasks"), so that a unit with
80 tasks and one with 8 compare.

The breakdown kept with every score lists, for each input, its count (and
for a unit the converted count), its weight, the points before the cap, the
cap and the points applied, then the base, any clamping to 0 or 100, and the
result. Numbers are kept as strings of decimals, exactly.
"""

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from .choices import BONUS_INPUTS, LEVEL_ORDER, Level, ScoreInput

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")

RULE_FIELDS = (
    "base_points",
    *(f"{key}_{part}" for key in ScoreInput.values for part in ("points", "cap")),
    "overdue_every_month",
    "hard_needs_on_time",
    "unit_per_tasks",
    "flat_min_people",
    "peer_min_raters",
    "peer_max_targets",
)


@dataclass
class MonthCounts:
    """What the month's query counts for one (unit, person), in every
    variant a rule may choose, so that one query serves any rule set."""

    on_time: int = 0
    late: int = 0
    hard_done: int = 0  # done in the month, on time or late
    hard_on_time: int = 0
    overdue_any: int = 0  # open past its deadline at month end
    overdue_due_in_month: int = 0  # … whose deadline falls in the month
    extended_done: int = 0
    extended_overdue_any: int = 0
    extended_overdue_due_in_month: int = 0
    returned: int = 0

    def __add__(self, other: "MonthCounts") -> "MonthCounts":
        return MonthCounts(
            **{
                f.name: getattr(self, f.name) + getattr(other, f.name)
                for f in fields(self)
            }
        )

    def inputs(self, rules) -> dict[str, int]:
        """The six inputs as the rules count them."""
        every = rules.overdue_every_month
        return {
            ScoreInput.ON_TIME: self.on_time,
            ScoreInput.HARD_DONE: (
                self.hard_on_time if rules.hard_needs_on_time else self.hard_done
            ),
            ScoreInput.LATE: self.late,
            ScoreInput.OVERDUE: (
                self.overdue_any if every else self.overdue_due_in_month
            ),
            ScoreInput.RETURNED: self.returned,
            ScoreInput.EXTENDED: self.extended_done
            + (
                self.extended_overdue_any
                if every
                else self.extended_overdue_due_in_month
            ),
        }


@dataclass(frozen=True)
class Score:
    points: Decimal | None
    inputs: dict[str, int]
    breakdown: dict

    @property
    def counted(self) -> int:
        i = self.inputs
        return i[ScoreInput.ON_TIME] + i[ScoreInput.LATE] + i[ScoreInput.OVERDUE]


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return format((value + ZERO).normalize(), "f")  # never "-0"


def compute_score(counts: MonthCounts, rules, *, unit: bool = False) -> Score:
    """The score of one person (or, ``unit=True``, one unit) for a month."""
    inputs = counts.inputs(rules)
    counted = (
        inputs[ScoreInput.ON_TIME]
        + inputs[ScoreInput.LATE]
        + inputs[ScoreInput.OVERDUE]
    )
    per = int(rules.unit_per_tasks or 0) if unit else 0
    scale = Decimal(per) / Decimal(counted) if per and counted else None
    base = _dec(rules.base_points)
    total = base
    lines = []
    for key in ScoreInput.values:
        count = inputs[key]
        weight = _dec(getattr(rules, f"{key}_points"))
        cap = getattr(rules, f"{key}_cap")
        cap = None if cap is None else _dec(cap)
        basis = (Decimal(count) * scale).quantize(HUNDREDTH) if scale else None
        raw = (basis if basis is not None else Decimal(count)) * weight
        applied = raw if cap is None else min(raw, cap)
        sign = 1 if key in BONUS_INPUTS else -1
        total += sign * applied
        lines.append(
            {
                "key": key,
                "count": count,
                "basis": _text(basis),
                "weight": _text(weight),
                "sign": sign,
                "raw": _text(sign * raw),
                "cap": _text(cap),
                "capped": applied < raw,
                "points": _text(sign * applied),
            }
        )
    breakdown = {
        "rule_set": getattr(rules, "version", None),
        "base": _text(base),
        "lines": lines,
        "counted": counted,
        "unit_per_tasks": per or None,
        "sum": _text(total),
        "clamped": None,
        "points": None,
    }
    if counted == 0:
        return Score(None, inputs, breakdown)
    if total > HUNDRED:
        total, breakdown["clamped"] = HUNDRED, "max"
    elif total < ZERO:
        total, breakdown["clamped"] = ZERO, "min"
    points = total.quantize(TENTH, rounding=ROUND_HALF_UP)
    breakdown["points"] = _text(points)
    return Score(points, inputs, breakdown)


def rule_values(rules) -> dict:
    """The rule fields of a rule set (saved or not), for a snapshot."""
    values = {}
    for name in RULE_FIELDS:
        value = getattr(rules, name)
        values[name] = _text(value) if isinstance(value, Decimal) else value
    return values


# --- bands and levels --------------------------------------------------------


def ordered_bands(bands) -> list:
    """Bands from the highest level down."""
    return sorted(bands, key=lambda b: LEVEL_ORDER.index(b.level))


def band_for_points(points: Decimal | None, bands) -> str:
    """The level whose point threshold the points reach (points only), for
    the spread of a unit's month and the "cào bằng" check."""
    if points is None:
        return ""
    for band in ordered_bands(bands):
        if points >= _dec(band.min_points):
            return band.level
    return Level.NOT_DONE


@dataclass(frozen=True)
class Record:
    """A person's or unit's record over a period."""

    avg_points: Decimal | None
    months_scored: int
    counted: int
    on_time: int
    late: int
    overdue: int
    beyond: int

    @property
    def behind(self) -> int:
        return self.late + self.overdue

    def pct(self, part: int) -> Decimal | None:
        if not self.counted:
            return None
        return (Decimal(part) * HUNDRED / Decimal(self.counted)).quantize(TENTH)


def band_checks(record: Record, band) -> list[dict]:
    """Each condition of a band against the record: what it asks, what the
    record has, met or not. Rates are compared in whole numbers
    (part × 100 against threshold × counted), never in rounded percents, so
    that exactly 20% is 20%."""
    checks = [
        {
            "criterion": "points",
            "required": _text(_dec(band.min_points)),
            "actual": _text(record.avg_points),
            "ok": record.avg_points is not None
            and record.avg_points >= _dec(band.min_points),
        }
    ]
    n = Decimal(record.counted)
    if band.min_on_time_pct is not None:
        need = _dec(band.min_on_time_pct)
        checks.append(
            {
                "criterion": "on_time",
                "required": _text(need),
                "actual": _text(record.pct(record.on_time)),
                "ok": record.counted > 0
                and Decimal(record.on_time) * HUNDRED >= need * n,
            }
        )
    if band.max_behind_pct is not None:
        limit = _dec(band.max_behind_pct)
        checks.append(
            {
                "criterion": "behind",
                "required": _text(limit),
                "actual": _text(record.pct(record.behind)),
                "ok": record.counted > 0
                and Decimal(record.behind) * HUNDRED <= limit * n,
            }
        )
    if band.min_beyond_pct is not None:
        need = _dec(band.min_beyond_pct)
        checks.append(
            {
                "criterion": "beyond",
                "required": _text(need),
                "actual": _text(record.pct(record.beyond)),
                "ok": record.counted > 0
                and Decimal(record.beyond) * HUNDRED >= need * n,
            }
        )
    return checks


def criteria_level(record: Record, bands) -> tuple[str, list[dict]]:
    """The highest level whose every condition the record meets, with the
    checks of each level. No score in the period: no level (""), for the
    committee to decide. Below every band: "Không hoàn thành nhiệm vụ"."""
    table = []
    found = ""
    for band in ordered_bands(bands):
        checks = band_checks(record, band)
        ok = all(c["ok"] for c in checks)
        table.append({"level": band.level, "ok": ok, "checks": checks})
        if ok and not found:
            found = band.level
    if record.avg_points is None:
        return "", table
    return found or Level.NOT_DONE, table


def level_below_excellent(table: list[dict]) -> str:
    """The best level other than "xuất sắc" that the checks meet."""
    for row in table:
        if row["level"] != Level.EXCELLENT and row["ok"]:
            return row["level"]
    return Level.NOT_DONE


def quota_allowance(good_or_better: int, quota_pct) -> int | None:
    """How many "xuất sắc" an organisation may propose: the quota's share of
    those who reach "tốt" or better (every "xuất sắc" also reaches "tốt"),
    rounded down; ``None`` when there is no quota."""
    if quota_pct is None:
        return None
    return int(Decimal(good_or_better) * _dec(quota_pct) // HUNDRED)


def over_quota(candidates: list[tuple[object, Decimal]], allowance: int | None):
    """Which of the organisation's "xuất sắc" candidates (key, points) go
    over the quota. The highest points keep the level; when the places run
    out between equal points, every one of those equals is marked too, for
    the committee to decide (no one is picked by chance)."""
    if allowance is None or len(candidates) <= allowance:
        return set()
    ranked = sorted(candidates, key=lambda kv: kv[1], reverse=True)
    first_left_out = ranked[allowance][1]
    return {key for key, points in ranked if points <= first_left_out}
