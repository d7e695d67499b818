"""What a demo enterprise is made of: its data items, planned stops and activity settings.

Boundary convention
-------------------
Items with ``boundary="enterprise"`` describe what crosses the enterprise fence (purchases,
energy leaving the site, the whole-site meters); the enterprise's comprehensive consumption
uses these items only. Items with a process boundary (``sintering``, ``blast_furnace``, ...)
are sub-meters inside the fence, used for process unit-product consumption; within a process
boundary, ``usage="export"`` is energy recovered and sent out of that process (blast-furnace
gas, converter gas, recovered steam), which GB 21256 deducts.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ItemSpec:
    """One data item of a fictional enterprise and how its hourly values are generated.

    ``rate`` is the mean amount per hour at full activity (per month for value items), in
    ``unit``. ``derive`` lists other items (by code) whose generated series are added, each
    times its factor, before the item's own noise is applied. ``heating`` (0..1) is the share
    of the item that follows the heating demand (Nov-Mar) instead of production; ``follows``
    False means the item ignores the enterprise's production activity (heat for buildings).
    ``noise`` is the relative standard deviation of the meter's hourly noise; ``floor`` the
    least value an hour can read.
    """

    code: str
    name: str
    measures: str
    usage: str
    unit: str
    boundary: str = "enterprise"
    energy_kind: str | None = None
    product_code: str | None = None
    rate: float = 0.0
    period: str = "hour"
    renewable: bool = False
    value_kind: str = "interval"
    heating_value: float | None = None
    heating_value_unit: str | None = None
    noise: float = 0.03
    heating: float = 0.0
    follows: bool = True
    derive: tuple[tuple[str, float], ...] = ()
    floor: float = 0.0


@dataclass(frozen=True)
class ShutdownRule:
    """A recurring planned stop: ``maintenance``/``holiday`` (month, day, days) or
    ``spring_festival`` (``before`` days before the festival to ``after`` days after it).

    ``boundaries`` empty means the whole enterprise. ``factor`` is the activity left during
    the stop (0.03 = standby load only).
    """

    kind: str
    description: str
    factor: float
    boundaries: tuple[str, ...] = ()
    month: int = 0
    day: int = 0
    days: int = 0
    before: int = 0
    after: int = 0


@dataclass(frozen=True)
class EnterpriseSpec:
    """A fictional enterprise of the demo city."""

    key: str
    name: str
    name_en: str
    division: str
    industry: str
    cluster: str
    profile: str
    address: str
    items: tuple[ItemSpec, ...]
    shutdowns: tuple[ShutdownRule, ...] = ()
    growth: float = 0.03
    """Activity growth per year (0.03 = 3 %/yr)."""
    value_intensity: float = 1.0
    """tce per 10 000 yuan of output value (sizes the monthly value filings)."""
    added_share: float = 0.25
    """Added value as a share of output value."""
    credit_code: str = field(default="")

    def item(self, code: str) -> ItemSpec:
        """The item with `code` (KeyError when absent)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)
