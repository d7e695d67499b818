"""A monthly or annual filing's period and lines, checked and mapped to the enterprise's
items before anything is stored (docs/filing.md).

Each line is an energy kind, a product's output, the output value or the added value, with
its unit. A line is taken one of three ways (`mode`):

* ``reading``: the enterprise has a fence item of that quantity with the filing's period
  (registered as manual, or monthly): the value becomes that item's reading;
* ``boundary``: it has no item of that quantity at all: a manual fence item is registered for
  it (code by the scheme of docs/items.md, e.g. ``ent.electricity``) and takes the value;
* ``compared``: the quantity is collected online (items of a finer period): the value is kept
  as the filed figure and compared with the online sum, never stored as a reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nenghao.standards import UnitError, get_catalog
from nenghao.standards.calendar import cst_date, month_start, next_start
from nenghao.store.common import InvalidInputError
from nenghao.store.filings import KIND_ZH
from nenghao.store.item_rules import check_item

FINER = {"month": ("15min", "hour", "day"), "year": ("15min", "hour", "day", "month")}
"""The item periods whose readings sum to a month's (a year's) online figure."""
_PERIOD_ZH = {"15min": "15分钟", "hour": "小时", "day": "日", "month": "月", "year": "年"}


class FilingRefusedError(Exception):
    """A filing refused whole (422): a stable code, English and Chinese messages, details."""

    def __init__(self, code: str, message: str, zh: str, details: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.zh, self.details = code, message, zh, details


@dataclass(frozen=True, slots=True)
class FilingPeriod:
    """A calendar month (``2025-10``) or year (``2025``) in CST."""

    period: str
    start: int
    end: int
    label: str

    @property
    def days(self) -> int:
        """The days the period has."""
        return (self.end - self.start) // 86400


@dataclass(frozen=True, slots=True)
class LineIn:
    """One filed figure as sent."""

    kind: str
    subject: str | None
    value: float
    unit: str


@dataclass(slots=True)
class PlannedLine:
    """A checked line: its quantity in catalogue codes and how it is taken."""

    position: int
    kind: str
    subject: str | None
    value: float
    unit: str
    mode: str
    item: dict[str, Any] | None = None
    """The item the value goes to (``reading``); for ``boundary`` the attributes to register."""
    online_items: list[dict[str, Any]] = field(default_factory=list)
    """The online items whose sum the value is compared with (``compared``)."""


def label_period(label: str) -> FilingPeriod:
    """The month (``YYYY-MM``) or year (``YYYY``) `label` names; else `FilingRefusedError`."""
    text = label.strip()
    try:
        if len(text) == 4:
            period, start = "year", month_start(int(text), 1)
        elif len(text) == 7 and text[4] == "-":
            period, start = "month", month_start(int(text[:4]), int(text[5:]))
        else:
            raise ValueError(text)
    except ValueError:
        raise FilingRefusedError(
            "invalid_period",
            f"period {label!r}: write a month as YYYY-MM or a year as YYYY",
            f"统计期 {label} 格式不正确：月报写作 YYYY-MM，年报写作 YYYY",
            {"field": "period"},
        ) from None
    return FilingPeriod(period, start, next_start(period, start), text)


def parse_period(label: str, today: date, registered: date) -> FilingPeriod:
    """The period `label` names, if it has ended by `today` and is not before the year
    before the enterprise's registration; else `FilingRefusedError`."""
    filing = label_period(label)
    text, start, end = filing.label, filing.start, filing.end
    first_day, last_day = cst_date(start), cst_date(end - 1)
    if first_day > today:
        raise FilingRefusedError(
            "future_period",
            f"period {text} lies in the future",
            f"统计期 {text} 尚未开始，不能填报未来的数据",
            {"field": "period"},
        )
    if last_day >= today:
        raise FilingRefusedError(
            "period_not_ended",
            f"period {text} has not ended yet (it ends on {last_day.isoformat()})",
            f"统计期 {text} 尚未结束（{last_day.isoformat()} 结束），结束后方可填报",
            {"field": "period"},
        )
    if first_day.year < registered.year - 1:
        raise FilingRefusedError(
            "period_before_register",
            f"period {text} is before the year before the enterprise's registration "
            f"({registered.year})",
            f"统计期 {text} 早于企业登记年份（{registered.year}）的上一年，不能填报",
            {"field": "period"},
        )
    return filing


def _refuse_line(position: int, exc: InvalidInputError, line: LineIn) -> FilingRefusedError:
    field_name = (exc.details or {}).get("field", "")
    what = {
        "energy_kind": f"未知的能源品种“{line.subject}”",
        "unit": f"计量单位“{line.unit}”不适用于该项（未知单位或量纲不符）",
        "product_code": f"产品编码“{line.subject}”不正确",
    }.get(field_name, "填报内容不正确")
    return FilingRefusedError(
        exc.code,
        f"lines[{position}]: {exc.message}",
        f"第 {position + 1} 行：{what}",
        {"line": position, "field": "subject" if field_name != "unit" else "unit"},
    )


def attributes_of(line: LineIn, period: str, position: int = 0) -> dict[str, Any]:
    """The fence item a line describes, checked by the item rules (unknown energy kind or
    unit, a unit of the wrong dimension); its name says it is filed by hand."""
    catalog = get_catalog()
    values: dict[str, Any] = {"unit": line.unit, "period": period, "manual": True}
    if line.kind == "energy":
        try:
            kind = catalog.energy_kind(line.subject or "")
            medium = kind.category == "medium"
            values.update(measures="medium" if medium else "energy", energy_kind=kind.code)
            values["name"] = f"{kind.name_zh}（人工填报）"
        except Exception:  # an unknown kind: the item rules say so with their code
            values.update(measures="energy", energy_kind=line.subject or "", name="-")
    elif line.kind == "product":
        values.update(
            measures="product", product_code=line.subject, name=f"{line.subject}产量（人工填报）"
        )
    else:
        values.update(measures=line.kind, name=f"{KIND_ZH[line.kind]}（人工填报）")
    try:
        return check_item(values)
    except InvalidInputError as exc:
        raise _refuse_line(position, exc, line) from None


def _matching(items: Sequence[Mapping[str, Any]], want: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The active items of the same quantity as `want` (kind, product, usage): at the fence,
    or for a product at any process (its output is the enterprise's)."""
    return [
        dict(item)
        for item in items
        if item["active"]
        and (item["stage"] == "fence" or item["measures"] == "product")
        and item["measures"] == want["measures"]
        and item["energy_kind"] == want["energy_kind"]
        and item["product_code"] == want["product_code"]
        and item["usage"] == want["usage"]
    ]


def _same_dimension(a: str, b: str) -> bool:
    catalog = get_catalog()
    try:
        return catalog.unit(a).dimension == catalog.unit(b).dimension
    except UnitError:
        return False


def plan_line(
    position: int, line: LineIn, items: Sequence[Mapping[str, Any]], period: FilingPeriod
) -> PlannedLine:
    """How one line is taken (see the module docstring); `FilingRefusedError` when it cannot be."""
    if line.value < 0:
        raise FilingRefusedError(
            "negative_value",
            f"lines[{position}]: a filed figure is not negative ({line.value:g})",
            f"第 {position + 1} 行：填报值不能为负数（{line.value:g}）",
            {"line": position, "field": "value"},
        )
    attributes = attributes_of(line, period.period, position)
    matching = _matching(items, attributes)
    planned = PlannedLine(
        position,
        line.kind,
        attributes["energy_kind"] or attributes["product_code"],
        line.value,
        attributes["unit"],
        "boundary",
        attributes,
    )
    own = [
        i
        for i in matching
        if i["period"] == period.period and (i["manual"] or i["period"] == "month")
    ]
    online = [i for i in matching if i["period"] in FINER[period.period]]
    if own:
        planned.mode, planned.item = "reading", sorted(own, key=lambda i: not i["manual"])[0]
        if not _same_dimension(planned.unit, planned.item["unit"]):
            raise FilingRefusedError(
                "unit_dimension_mismatch",
                f"lines[{position}]: {planned.unit} cannot be converted to the item's unit "
                f"{planned.item['unit']}",
                f"第 {position + 1} 行：计量单位 {planned.unit} 与数据项的单位"
                f" {planned.item['unit']} 量纲不一致",
                {"line": position, "field": "unit"},
            )
    elif online:
        planned.mode, planned.item, planned.online_items = "compared", None, online
    elif matching:
        raise FilingRefusedError(
            "filing_period_mismatch",
            f"lines[{position}]: this quantity is registered with period "
            f"{matching[0]['period']}; it cannot be filed for a {period.period}",
            f"第 {position + 1} 行：该项已按{_PERIOD_ZH[matching[0]['period']]}登记"
            f"（{matching[0]['code']}），不能按{_PERIOD_ZH[period.period]}填报",
            {"line": position, "field": "subject"},
        )
    return planned


def plan_lines(
    lines: Sequence[LineIn], items: Sequence[Mapping[str, Any]], period: FilingPeriod
) -> list[PlannedLine]:
    """Every line planned, or `FilingRefusedError` for the first bad one (nothing is stored)."""
    planned = [plan_line(i, line, items, period) for i, line in enumerate(lines)]
    seen: dict[tuple[str, str | None], int] = {}
    for line in planned:
        key = (line.kind, line.subject)
        if key in seen:
            raise FilingRefusedError(
                "duplicate_line",
                f"lines[{line.position}] repeats lines[{seen[key]}]"
                f" ({line.kind} {line.subject or ''})",
                f"第 {line.position + 1} 行与第 {seen[key] + 1} 行重复"
                f"（同一{KIND_ZH[line.kind]}只能填一行）",
                {"line": line.position, "field": "subject"},
            )
        seen[key] = line.position
    return planned
