"""Each retrofit's saving per year, as the carbon-peak pathway reads it: verified from the
metered data when the baseline model meets the criteria, else the claimed saving, flagged
as claimed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection

from nenghao.retrofits.verification import verify_row
from nenghao.store import retrofits as store
from nenghao.store.common import StoreError
from nenghao.store.scope import Scope

Basis = Literal["verified", "claimed"]


@dataclass(frozen=True)
class RetrofitSaving:
    """One retrofit's saving per year and where it came from."""

    retrofit_id: int
    enterprise_id: int
    name: str
    year: int
    """The first calendar year the saving takes effect (the reporting period's start)."""
    equivalent_tce: float
    """Saving per year [tce/a], equivalent value (当量值)."""
    equal_tce: float | None
    """Saving per year [tce/a], equal value (等价值); None for a claimed saving."""
    tco2: float | None
    """Avoided emissions per year [tCO2/a]; None for a claimed saving."""
    basis: Basis
    """``verified`` (M&V met the criteria) or ``claimed`` (the project's own figure)."""


def retrofit_savings(conn: Connection, scope: Scope) -> list[RetrofitSaving]:
    """Every retrofit in ``scope`` with its saving per year, verified or else claimed."""
    out: list[RetrofitSaving] = []
    for row in store.listing(conn, scope):
        common = (row["id"], row["enterprise_id"], row["name"], row["reporting_from"].year)
        try:
            result = verify_row(conn, row)
        except StoreError:
            result = None
        if result is not None and result.verified:
            factor = result.avoided.annual_factor
            out.append(
                RetrofitSaving(
                    *common,
                    equivalent_tce=result.avoided.annual_avoided,
                    equal_tce=result.equal_avoided * factor,
                    tco2=result.tco2_avoided * factor,
                    basis="verified",
                )
            )
        else:
            claimed = float(row["claimed_saving_tce"])
            out.append(RetrofitSaving(*common, claimed, None, None, "claimed"))
    return out
