"""The worked city (tests/analytics/worked_city.py) as an official files it: enterprise ``a``
named in Chinese with a contact, dual-control targets for 2025, the monitor's scores of
January to March 2025 and two quality events.

Hand-worked figures of enterprise ``a`` in January-March 2025 (GB/T 2589-2020 coefficients,
as in worked_city):

* electricity 1.1 + 1.2 + 1.3 million kWh at the fence plus 0.1 million kWh renewable =
  3.7 million kWh = 370 万kWh; x 0.1229 kgce/kWh = 454.73 tce (equivalent), x 0.404 =
  1 494.8 tce (equal, fallback coefficient);
* raw coal 3 x 100 t x 0.7143 = 214.29 tce; heat 1 000 GJ x 34.12 kgce/GJ = 34.12 tce (no
  equal value); natural gas (raw material) 10 000 m3 = 1 万m3 x 1.2143 = 12.143 tce;
* total 715.283 tce equivalent; equal 1 494.8 + 214.29 + 12.143 = 1 721.233 tce;
* electricity's share 454.73 / 715.283 = 63.57 %;
* sinter: (3 x 4 t coke x 0.9714 + 30 000 kWh x 0.1229 / 1 000) / 300 t
  = (11.6568 + 3.687) / 300 = 51.146 kgce/t: level 3 of GB 21256-2013 (45/50/56);
* assessed total to date (target basis equivalent, renewable base 0 kWh):
  715.283 - 12.143 (raw material) - 12.29 (100 000 kWh renewable x 0.1229) = 690.85 tce.

Enterprise ``b``: 3 x 600 t coke x 0.9714 = 1 748.52 tce, so division 210302 (a and b)
has 2 463.803 - 12.143 - 12.29 = 2 439.37 tce assessed to 31 March.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import insert, update

from nenghao.standards.calendar import month_start
from nenghao.store import quality
from nenghao.store.schema import enterprises, quality_events, targets

NAME = "鞍山示范钢铁有限公司"
CONTACT = "王工 0412-5550100"
SCORES = {
    # month: enterprise -> (expected, received, on time)
    1: {"a": (2976, 2900, 2800)},
    2: {"a": (2688, 2688, 2688)},
    3: {"a": (2976, 2900, 2800), "b": (1000, 1000, 900)},
}


def _worked_city():
    path = Path(__file__).resolve().parents[1] / "analytics" / "worked_city.py"
    spec = importlib.util.spec_from_file_location("worked_city", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _target(level: str, subject: str, division: str | None, enterprise: int | None, tce: float):
    return {
        "year": 2025,
        "level": level,
        "subject": subject,
        "division_code": division,
        "enterprise_id": enterprise,
        "basis": "equivalent",
        "total_energy_tce": tce,
        "renewable_base_kwh": 0.0,
        "created_at": 0,
        "updated_at": 0,
    }


def build(engine) -> dict[str, int]:
    """The worked city with the filings above; the enterprise ids."""
    ids, _items = _worked_city().build(engine)
    with engine.begin() as conn:
        conn.execute(
            update(enterprises)
            .where(enterprises.c.id == ids["a"])
            .values(name=NAME, contact=CONTACT)
        )
        conn.execute(
            insert(targets),
            [
                _target("enterprise", str(ids["a"]), None, ids["a"], 3000.0),
                _target("division", "210302", "210302", None, 8000.0),
            ],
        )
        for month, by in SCORES.items():
            rows = []
            for key, (expected, received, on_time) in by.items():
                rows.append(
                    {
                        "enterprise_id": ids[key],
                        "score": 96.5,
                        "grade": "A",
                        "completeness": min(1.0, received / expected),
                        "timeliness": on_time / received,
                        "consistency": None,
                        "validity": 1.0,
                        "weights": {},
                        "detail": {"expected": expected, "received": received, "on_time": on_time},
                        "computed_at": 0,
                    }
                )
            quality.save_scores(conn, month_start(2025, month), rows)
        conn.execute(
            insert(quality_events),
            [
                {
                    "rule": rule,
                    "enterprise_id": ids["a"],
                    "subject": f"enterprise:{ids['a']}",
                    "period": "day",
                    "start": month_start(2025, 2) + offset,
                    "end": month_start(2025, 2) + offset + 86400,
                    "severity": "warning",
                    "message": "test",
                    "detected_at": 0,
                }
                for rule, offset in (("spike", 0), ("completeness", 86400))
            ],
        )
    return ids
