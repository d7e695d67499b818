"""A project's energy lines and products checked one by one before the assessment, so that a
refusal names the line: ``details.field`` is ``energy[2].unit`` (``existing[0].energy``,
``products[1].product``) and the Chinese message says 第 3 行能源 … with names, not codes."""

from __future__ import annotations

from nenghao.accounting import DimensionMismatchError, to_standard_coal
from nenghao.standards import Catalog, UnknownEnergyKindError, UnknownUnitError
from nenghao.store.common import InvalidInputError

from .facts import PlannedEnergy, ProjectFacts

__all__ = ["check_lines"]

SECTION_ZH = {"energy": "第 {n} 行能源", "existing": "改建前第 {n} 行能源"}
"""How a line is named in Chinese, by section (n counts from 1)."""
DIMENSION_ZH = {
    "mass": "质量",
    "volume": "体积",
    "energy": "能量",
    "coal_equivalent": "标准煤当量",
    "count": "数量",
    "currency": "货币",
}
"""Unit dimensions in Chinese."""


def _refused(field: str, code: str, en: str, zh: str, value: str) -> InvalidInputError:
    return InvalidInputError(
        f"{field}: {en}", code=code, details={"field": field, "value": value}, zh=zh
    )


def _units_of(dimension: str, catalog: Catalog, sep: str = "、") -> str:
    """The units of a dimension, as a reader picks one (kg、g、t、万t)."""
    return sep.join(u.symbol for u in catalog.units.values() if u.dimension == dimension)


def _check_energy(
    section: str, index: int, line: PlannedEnergy, year: int, catalog: Catalog
) -> None:
    where = f"{section}[{index}]"
    name_zh = SECTION_ZH[section].format(n=index + 1)
    try:
        kind = catalog.energy_kind(line.energy)
    except UnknownEnergyKindError:
        raise _refused(
            f"{where}.energy",
            "unknown_energy_kind",
            f"unknown energy kind {line.energy!r}",
            f"{name_zh}：未知的能源品种“{line.energy}”，请从能源品种目录中选择",
            line.energy,
        ) from None
    wanted = catalog.unit(kind.unit).dimension
    choices = _units_of(wanted, catalog)
    try:
        unit = catalog.unit(line.unit)
    except UnknownUnitError:
        raise _refused(
            f"{where}.unit",
            "unknown_unit",
            f"unknown unit {line.unit!r} for {kind.code}",
            f"{name_zh}（{kind.name_zh}）：未知的计量单位“{line.unit}”，可用 {choices}",
            line.unit,
        ) from None
    try:
        to_standard_coal(line.quantity, unit.symbol, kind, year=year, catalog=catalog)
    except DimensionMismatchError:
        raise _refused(
            f"{where}.unit",
            "unit_dimension_mismatch",
            f"unit {unit.symbol} measures {unit.dimension}; {kind.code} is measured in "
            f"{wanted} ({_units_of(wanted, catalog, ', ')})",
            f"{name_zh}（{kind.name_zh}）：计量单位“{unit.symbol}”是"
            f"{DIMENSION_ZH.get(unit.dimension, unit.dimension)}单位，{kind.name_zh}按"
            f"{DIMENSION_ZH.get(wanted, wanted)}计量，可用 {choices}",
            line.unit,
        ) from None


def check_lines(facts: ProjectFacts, catalog: Catalog) -> None:
    """Refuse the first energy line or product the catalogue cannot read, at its field.

    Parameters
    ----------
    facts : ProjectFacts
        The project's lines (planned ``energy``, ``existing``) and ``products``.
    catalog : Catalog
        The reference catalogue (energy kinds, units, quota products).

    Raises
    ------
    InvalidInputError
        ``unknown_energy_kind``, ``unknown_unit`` or ``unit_dimension_mismatch`` with
        ``details.field`` ``energy[i].energy`` / ``energy[i].unit`` (or ``existing[i]…``);
        ``unknown_key`` with ``products[i].product`` for a product code the quota catalogue
        does not know, the Chinese message listing the products by name.

    Notes
    -----
    Input checking, not a calculation: the conversion is the accounting core's
    (``to_standard_coal``, GB/T 2589-2020), called line by line to find the one at fault.
    """
    for section, lines in (("energy", facts.energy), ("existing", facts.existing)):
        for index, line in enumerate(lines):
            _check_energy(section, index, line, facts.year, catalog)
    for index, product in enumerate(facts.products):
        code = product.product
        if code is None or code in catalog.quota_standards:
            continue
        names = "、".join(e[0].product_name_zh for e in catalog.quota_standards.values() if e)
        raise _refused(
            f"products[{index}].product",
            "unknown_key",
            f"unknown quota product {code!r}",
            f"第 {index + 1} 个产品（{product.name}）：能耗限额目录中没有产品“{code}”，"
            f"可选：{names}；无对应产品时不填产品代码",
            code,
        )
