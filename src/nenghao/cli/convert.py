"""``nenghao convert``: a quantity of an energy kind to standard coal."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from nenghao.analytics import conversion
from nenghao.cli.common import console, reported


class Basis(StrEnum):
    equivalent = "equivalent"
    equal = "equal"


def convert(
    value: Annotated[str, typer.Argument(help="The quantity, e.g. 1200.")],
    unit: Annotated[str, typer.Argument(help="Its unit, e.g. t, 万kWh, m3.")],
    energy: Annotated[str, typer.Argument(help="Energy kind code or name, e.g. coke, 焦炭.")],
    basis: Annotated[Basis, typer.Option(help="当量值 (equivalent) or 等价值 (equal).")] = (
        Basis.equivalent
    ),
    year: Annotated[int | None, typer.Option(help="Statistics year (equal basis).")] = None,
    heating_value: Annotated[
        str | None, typer.Option(help='Measured low heating value, e.g. "5000 kcal/kg".')
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Convert VALUE UNIT of ENERGY to standard coal (kgce, tce), with the coefficient used."""
    with reported():
        quantity = conversion.parse_value(value)
        result = conversion.convert(
            quantity, unit, energy, basis=basis.value, year=year, heating_value=heating_value
        )
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    kind = result["energy"]
    table = Table(title=f"{value} {unit} {kind['name_zh']} ({kind['code']}) → 标准煤")
    table.add_column("field")
    table.add_column("value", overflow="fold")
    for key in ("kgce", "tce", "coefficient", "coefficient_unit", "basis", "method"):
        shown = result[key]
        table.add_row(key, f"{shown:,.6g}" if isinstance(shown, float) else str(shown))
    status = result["status"]
    table.add_row("status", status if status == "confirmed" else f"⚠ {status}")
    table.add_row("source", str(result["source"]))
    console.print(table)
