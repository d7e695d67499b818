"""How long the city's carbon-peak pathway and its LMDI decomposition take for 150 enterprises.

Writes a generated city into a temporary SQLite file (or ``--database-url``): 150 enterprises
in the four clusters and the rest, each with 6 hourly items (electricity, raw coal, natural
gas, heat, a product for process CO2 in magnesia, output value) read once a day over 2024 and
2025 to 15 September (about 660 000 readings), rollups rebuilt. Two scenarios (business as
usual with 5 assumptions, a policy scenario with 4 measures). Then it prints the best of
``--repeat`` timings of:

* the city pathway (`/pathway`: both projections from the base year 2024 read by sector and
  source, and the actual CO2 of 2024 and of 2025 to date);
* one scenario's detail (`/pathway/scenarios/{id}`);
* tracking 2025 against the policy scenario, by month and year to date;
* the LMDI decomposition 2024 -> 2025 (like for like: 1 January - 14 September);
* the city pathway and the decomposition together (the target: <= 2 s).

    .venv/bin/python benchmarks/pathway.py [--repeat 5] [--database-url URL]

Not a test: it prints the figures.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert

from nenghao.pathway.answers import pathway_answer, scenario_answer
from nenghao.pathway.decomposition import decompose_years
from nenghao.pathway.scenarios import add_assumption, add_measure, run
from nenghao.pathway.tracking import track
from nenghao.standards.calendar import cst_midnight
from nenghao.store import pathway as store
from nenghao.store.credit_code import make_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.rollups import rebuild
from nenghao.store.schema import data_items, enterprises, readings
from nenghao.store.scope import Scope

ENTERPRISES = 150
INDUSTRIES = ("3110", "3120", "3089", "1013", "3411", "3511", "2614", "2619", "4411", "3012")
ITEMS = (
    ("elec", "energy", "electricity", None, "kWh", 20_000.0),
    ("coal", "energy", "raw_coal", None, "t", 12.0),
    ("gas", "energy", "natural_gas", None, "m3", 3_000.0),
    ("heat", "energy", "heat", None, "GJ", 40.0),
    ("mgo", "product", None, "light_burned_magnesia", "t", 30.0),
    ("output", "output_value", None, None, "万元", 25.0),
)
FIRST, TODAY = date(2024, 1, 1), date(2025, 9, 15)


def build_city(engine: Engine) -> None:
    """Enterprises, items and daily readings (hour 0 of each CST day), rollups rebuilt."""
    rng = np.random.default_rng(18)
    days = [FIRST + timedelta(days=k) for k in range((TODAY - FIRST).days)]
    starts = [cst_midnight(day) for day in days]
    growth = np.array([1.0 if d.year == 2024 else 1.06 for d in days])
    with engine.begin() as conn:
        for number in range(ENTERPRISES):
            industry = INDUSTRIES[number % len(INDUSTRIES)]
            key = conn.execute(
                insert(enterprises).values(
                    credit_code=make_credit_code("210302", f"P{number:08d}"),
                    name=f"路径企业{number}",
                    division_code="210302",
                    industry_code=industry,
                    created_at=0,
                    updated_at=0,
                )
            ).inserted_primary_key
            assert key is not None
            size = rng.uniform(0.2, 3.0)
            for code, measures, kind, product, unit, daily in ITEMS:
                if product is not None and industry not in ("3089", "1013"):
                    continue
                usage = {"product": "production", "output_value": "value"}.get(measures)
                item = conn.execute(
                    insert(data_items).values(
                        enterprise_id=key[0],
                        code=f"ent.{code}",
                        name=code,
                        measures=measures,
                        usage=usage or "consumption",
                        energy_kind=kind,
                        product_code=product,
                        boundary="enterprise",
                        unit=unit,
                        period="hour",
                        created_at=0,
                    )
                ).inserted_primary_key
                assert item is not None
                values = daily * size * growth * rng.uniform(0.8, 1.2, len(days))
                conn.execute(
                    insert(readings),
                    [
                        {
                            "item_id": item[0],
                            "period": "hour",
                            "period_start": start,
                            "value": float(value),
                            "source": "benchmark",
                            "received_at": start,
                        }
                        for start, value in zip(starts, values, strict=True)
                    ],
                )
        rebuild(conn)


def scenarios(engine: Engine) -> int:
    """A business-as-usual and a policy scenario; the policy one's id."""
    with engine.begin() as conn:
        bau = store.create_scenario(
            conn, "bench", {"name": "BAU", "kind": "bau", "base_year": 2024}
        )
        for parameter, sector, year, value in (
            ("output_growth", None, 2025, 6.0),
            ("output_growth", None, 2028, 3.0),
            ("output_growth", "steel", 2025, 2.0),
            ("intensity_change", None, 2025, -3.0),
            ("grid_factor_change", None, 2025, -2.0),
        ):
            fields = {"parameter": parameter, "sector": sector, "from_year": year}
            add_assumption(conn, "bench", bau, fields | {"value_pct": value})
        policy = store.create_scenario(
            conn,
            "bench",
            {"name": "Policy", "kind": "policy", "base_year": 2024, "baseline_id": bau},
        )
        for measure in (
            {"kind": "retrofit", "name": "kilns", "sector": "magnesia", "year": 2026}
            | {"saving_tco2": 5000.0, "status": "verified"},
            {"kind": "fuel_switch", "name": "coal to gas", "sector": "magnesia", "year": 2027}
            | {"from_kind": "raw_coal", "to_kind": "natural_gas", "amount_tce": 2000.0},
            {"kind": "renewable_electricity", "name": "solar", "sector": "equipment", "year": 2026}
            | {"mwh": 20_000.0},
            {"kind": "capacity_change", "name": "cut", "sector": "steel", "year": 2027}
            | {"change_pct": -10.0},
        ):
            add_measure(conn, "bench", policy, measure)
    return policy


def best(repeat: int, call: Callable[[], Any]) -> float:
    """The best wall time of ``repeat`` calls [s]."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(engine: Engine, repeat: int) -> None:
    started = time.perf_counter()
    build_city(engine)
    print(f"city: {ENTERPRISES} enterprises written in {time.perf_counter() - started:.1f} s")
    policy = scenarios(engine)
    scope = Scope.all()
    with engine.connect() as conn:

        def tracked() -> Any:
            projection, _base = run(conn, scope, store.get_scenario(conn, policy))
            return track(conn, scope, projection, 2025, TODAY)

        def both() -> Any:
            pathway_answer(conn, scope, TODAY)
            return decompose_years(conn, scope, 2024, 2025, TODAY)

        figures = {
            "city pathway (2 scenarios + actual)": best(
                repeat, lambda: pathway_answer(conn, scope, TODAY)
            ),
            "one scenario's detail": best(repeat, lambda: scenario_answer(conn, scope, policy)),
            "tracking 2025 by month": best(repeat, tracked),
            "LMDI decomposition 2024 -> 2025": best(
                repeat, lambda: decompose_years(conn, scope, 2024, 2025, TODAY)
            ),
            "pathway + decomposition (target <= 2 s)": best(repeat, both),
        }
        answer = decompose_years(conn, scope, 2024, 2025, TODAY)
    for name, seconds in figures.items():
        print(f"{name}: {seconds:.3f} s")
    print(
        f"decomposition: change {answer['change_tco2']:.1f} tCO2, residual "
        f"{answer['residual_tco2']:.2e} tCO2"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(args.database_url or f"sqlite:///{Path(tmp) / 'pathway.db'}")
        upgrade(engine)
        measure(engine, args.repeat)
        engine.dispose()


if __name__ == "__main__":
    main()
