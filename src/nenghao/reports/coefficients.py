"""The coefficients behind a document's figures, one line each with its short Chinese
citation: the annex of the annual report and the notes sheet of the monthly workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nenghao.reports.words import BASIS_ZH, energy_name, factor_zh, status_zh
from nenghao.standards.citations import cited


@dataclass(frozen=True)
class CoefficientLine:
    """One coefficient or factor as a document lists it."""

    energy: str
    """The energy kind's Chinese name."""
    what: str
    """当量值, 等价值 (both when equal), or the emission factor's name."""
    value: float
    unit: str
    citation: str
    """Standard number and clause (nenghao.standards.citations)."""
    status: str
    """已核实 or 待核实."""


def coefficient_lines(used: list[dict[str, Any]], factors: bool = False) -> list[CoefficientLine]:
    """Lines of the ``coefficients`` an analytics answer used: the standard-coal coefficients
    (an equivalent and an equal value that agree share one line), and the emission factors
    when ``factors``."""
    merged: dict[tuple[Any, ...], list[str]] = {}
    entries: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in used:
        coal = entry.get("kind", "standard_coal") == "standard_coal"
        if not coal and not factors:
            continue
        value = entry.get("coefficient", entry.get("value"))
        key = (entry["energy_kind"], coal, value, entry["unit"], entry["source"])
        what = BASIS_ZH.get(entry.get("basis") or "", "") if coal else factor_zh(entry["name"])
        merged.setdefault(key, []).append(what)
        entries.setdefault(key, entry)
    return [
        CoefficientLine(
            energy=energy_name(entry["energy_kind"]),
            what="、".join(dict.fromkeys(merged[key])),
            value=float(key[2]),
            unit=entry["unit"],
            citation=cited(entry["source"]),
            status=status_zh(entry["status"]),
        )
        for key, entry in entries.items()
    ]


VERIFY_NOTE = (
    "注：标“待核实”的系数尚未与标准原文逐条核对，引用前请核实；"
    "企业实测低位发热量的，按实测值折算（GB/T 2589-2020 第8章）。"
)
