"""A project against the remaining headroom (增量空间) of its district's and the city's
energy and carbon targets in its first full year.

Method (docs/projects.md)::

    headroom = target − expected consumption of the subject in the year
               − approved projects not yet in operation that run in the year
    share    = project / headroom

* target: ``total_energy_tce`` [tce] / ``total_co2_t`` [tCO2] of the city's and the
  division's target of the project's first full year;
* expected: for the current (CST) year the year-end projection of `analytics.targets.progress`
  (assessed total: gross less raw-material and renewable-above-base deductions); for a
  future year the latest complete year's actual (the year before the current one), i.e. no
  growth assumed besides the projects; for a past year that year's actual;
* approved projects: status approved, not commissioned, first full year at most the year,
  in the subject (their stored assessed tce and counted CO2), the project itself left out;
* project: the assessed annual consumption (counted, i.e. the increment of a reconstruction,
  less raw-material and renewable deductions) and the counted CO2.
* basis: a target's energy total is compared on the target's own basis (``targets.basis``):
  equivalent value (当量值) with the stored ``assessed_tce``; equal value (等价值) with the
  assessment's ``assessed_equal_tce``, for the project and for the approved projects alike
  (their assessments are read from their lines). The expected figure is the target's own.

A project exceeding the headroom is flagged (``exceeds``), never refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from nenghao.analytics.targets import progress
from nenghao.review.register import assessed
from nenghao.standards.calendar import cst_date
from nenghao.standards.catalog import get_catalog
from nenghao.store import projects as store
from nenghao.store.common import now
from nenghao.store.schema import targets
from nenghao.store.scope import Scope

INDICATORS = {
    "total_energy_tce": ("assessed_tce", "tce", "能耗增量空间", "能源消费总量"),
    "total_co2_t": ("counted_co2_t", "tCO2", "碳排放增量空间", "二氧化碳排放总量"),
}
"""Target indicator: (project figure, unit, headroom in words, indicator in words)."""
METHOD_ZH = (
    "剩余增量空间 = 目标 − 当年预计值（当年为年末预测，未来年份为最近完整年度实际值）"
    " − 已通过审查尚未投产项目；占比 = 本项目 ÷ 剩余增量空间。超出只提示，不拒绝。"
)


def share_of(project: float, target: float, expected: float, pending: float) -> dict[str, Any]:
    """The headroom and the project's share of it.

    Parameters
    ----------
    project : float [tce or tCO2]
        The project's annual figure.
    target : float [tce or tCO2]
        The subject's target for the year.
    expected : float [tce or tCO2]
        The subject's expected figure for the year without the project.
    pending : float [tce or tCO2]
        Approved projects not yet in operation.

    Returns
    -------
    dict
        ``headroom`` = target − expected − pending; ``share`` = project / headroom (None when
        the headroom is 0 or less); ``exceeds`` when the project is larger than the headroom.
    """
    headroom = target - expected - pending
    share = project / headroom if headroom > 0 else None
    return {"headroom": headroom, "share": share, "exceeds": project > headroom}


BASIS_ZH = {"equivalent": "当量值", "equal": "等价值"}


def _equal_tce(project: dict[str, Any]) -> float:
    """The project's assessed consumption at equal value [tce/a] (given, or assessed)."""
    given = project.get("assessed_equal_tce")
    return float(given) if given is not None else assessed(project).assessed_equal_tce


def _pending_equal(conn: Connection, year: int, division: str | None, exclude: int | None) -> float:
    """`store.pending_counted`'s energy at equal value [tce/a], from each one's lines."""
    return sum(
        _equal_tce(store.require(conn, Scope.all(), pid))
        for pid in store.pending_ids(conn, year, division, exclude=exclude)
    )


def _target(conn: Connection, year: int, division: str | None) -> dict[str, Any] | None:
    query = select(targets).where(targets.c.year == year)
    if division is None:
        query = query.where(targets.c.level == "city")
    else:
        query = query.where(targets.c.level == "division", targets.c.division_code == division)
    row = conn.execute(query.order_by(targets.c.id).limit(1)).first()
    return dict(row._mapping) if row else None


def _expected(
    conn: Connection, target: dict[str, Any], year: int, today: date
) -> tuple[dict[str, float], str]:
    """Expected total energy [tce] and CO2 [t] of the target's subject in `year`, and how."""
    if year == today.year:
        found = progress(conn, target, today)["indicators"]
        how = f"{year} 年预测值（截至 {today.isoformat()} 的年末预测）"
        key = "projected"
    else:
        basis = year if year < today.year else today.year - 1
        found = progress(conn, {**target, "year": basis}, date(basis, 12, 31))["indicators"]
        how = f"{basis} 年实际值" + ("（最近完整年度，未来年份按此估计）" if basis != year else "")
        key = "to_date"
    values = {name: float(found[name][key] or 0.0) for name in INDICATORS}
    return values, how


def _subject(
    conn: Connection, project: dict[str, Any], division: str | None, today: date
) -> dict[str, Any]:
    year = int(project["first_full_year"])
    catalog = get_catalog()
    place = "本市" if division is None else catalog.divisions[division].name_zh
    target = _target(conn, year, division)
    out: dict[str, Any] = {
        "level": "city" if division is None else "division",
        "division_code": division,
        "name": place,
        "year": year,
        "indicators": [],
    }
    if target is None:
        out["note"] = f"{place} {year} 年未设定能耗和碳排放目标"
        return out
    expected, how = _expected(conn, target, year, today)
    pending = store.pending_counted(conn, year, division, exclude=project["id"])
    basis = str(target.get("basis") or "equivalent")
    for name, (field, unit, words, indicator) in INDICATORS.items():
        figure = float(project.get(field) or 0.0)
        held = pending["tce" if name == "total_energy_tce" else "co2_t"]
        energy_basis = basis if name == "total_energy_tce" else None
        label = indicator
        if energy_basis == "equal":  # compared on the target's basis
            figure = _equal_tce(project)
            held = _pending_equal(conn, year, division, project["id"])
            label = f"{indicator}（{BASIS_ZH['equal']}）"
            words = f"{words}（{BASIS_ZH['equal']}）"
        entry: dict[str, Any] = {
            "indicator": name,
            "indicator_zh": label,
            "unit": unit,
            "basis": energy_basis,
            "project": figure,
            "target": target.get(name),
            "expected": expected[name],
            "expected_method": how,
            "pending": held,
            "pending_projects": pending["projects"],
        }
        if target.get(name) is None:
            entry |= {"headroom": None, "share": None, "exceeds": False}
            entry["line_zh"] = f"{place} {year} 年未设定{indicator}目标"
        else:
            entry |= share_of(figure, float(target[name]), expected[name], entry["pending"])
            share = entry["share"]
            shown = "无剩余空间" if share is None else f"{share * 100:.1f} %"
            entry["line_zh"] = f"占{place} {year} 年{words} {shown}"
            if entry["exceeds"]:
                entry["line_zh"] += "（超出剩余空间）"
        out["indicators"].append(entry)
    return out


def headroom(conn: Connection, project: dict[str, Any], at: int | None = None) -> dict[str, Any]:
    """The project against its division's and the city's targets of its first full year.

    `project`: a stored project (``id``, ``first_full_year``, ``division_code``,
    ``assessed_tce``, ``counted_co2_t``; for a target on equal value ``assessed_equal_tce``
    or the lines to assess).
    """
    today = cst_date(now() if at is None else at)
    subjects = [
        _subject(conn, project, None, today),
        _subject(conn, project, project["division_code"], today),
    ]
    exceeds = any(e["exceeds"] for s in subjects for e in s["indicators"])
    return {"subjects": subjects, "exceeds": exceeds, "method": METHOD_ZH}
