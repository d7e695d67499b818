"""The demo city's unit-product consumption against the quotas, as a markdown table.

Builds the demo city into a temporary SQLite file (``--days`` ending ``--end``, seed 2026),
computes every quota product's unit consumption over the whole range with the platform's
own analytics, and prints one row per plant: the value [kgce/t], the verdict of the edition
in force on the last day, and where the value stands against the newest edition (GB 21256-2025,
GB 21342-2025, or the local magnesia placeholders). docs/demo.md carries its output.

    .venv/bin/python benchmarks/demo_unit_products.py [--days 730] [--end 2025-12-31]

Not a test: it prints the table (about 30 s for two years on the 2-core machine).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date, timedelta
from pathlib import Path

from nenghao.accounting import quota_level
from nenghao.analytics.periods import Period
from nenghao.analytics.unit_products import unit_products
from nenghao.demo import build_demo
from nenghao.demo.catalogue import ENTERPRISES
from nenghao.standards import get_catalog
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.scope import Scope

LEVEL_ZH = {"L1": "1 级", "L2": "2 级", "L3": "3 级", "above_limit": "**超限额**"}


def _levels(edition_levels: dict[str, float]) -> str:
    return " / ".join(
        f"{edition_levels[lv]:g}" if lv in edition_levels else "—" for lv in ("L1", "L2", "L3")
    )


def _in_force(row: dict[str, object]) -> str:
    quota = row.get("quota")
    if isinstance(quota, dict):
        caveat = " (u)" if quota["status"] == "unverified" else ""
        return f"{quota['edition']}{caveat}: {LEVEL_ZH[quota['level']]}"
    return str(row.get("message"))


def _newest(code: str, value: float) -> str:
    newest = get_catalog().quota_standards[code][-1]
    on = newest.valid_from or date.max
    assessed = quota_level(code, value, on)
    caveat = " (u)" if assessed.status == "unverified" else ""
    return f"{newest.standard}{caveat} {_levels(dict(newest.levels))}: {LEVEL_ZH[assessed.level]}"


def table(days: int, end: date) -> str:
    """The markdown table of every quota product of the demo city."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}")
        upgrade(engine)
        build_demo(engine, days=days, end=end, manifest_dir=tmp)
        period = Period.parse(f"{(end - timedelta(days=days - 1)).isoformat()}..{end}")
        lines = [
            f"| product | plant | kgce/t | in force on {end.isoformat()} | newest edition "
            "L1 / L2 / L3: level |",
            "|---|---|---:|---|---|",
        ]
        found = []
        with engine.connect() as connection:
            for enterprise_id, spec in enumerate(ENTERPRISES, start=1):
                answer = unit_products(connection, Scope.all(), enterprise_id, period)
                for row in answer["rows"]:
                    code = row["product_code"]
                    if code not in get_catalog().quota_standards:
                        continue
                    found.append((code, spec.key, row))
        engine.dispose()
    order = list(get_catalog().quota_standards)
    for code, key, row in sorted(found, key=lambda f: (order.index(f[0]), f[1])):
        value = row["unit_consumption"]
        lines.append(
            f"| {row['product_name']} `{code}` | `{key}` | {value:,.1f} | {_in_force(row)} "
            f"| {_newest(code, value)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--end", type=date.fromisoformat, default=date(2025, 12, 31))
    args = parser.parse_args()
    print(table(args.days, args.end))


if __name__ == "__main__":
    main()
