"""``nenghao catalog``: reference catalogues as tables, with source and status."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from nenghao.cli.common import console, reported
from nenghao.standards import views as catalog_views


class Section(StrEnum):
    energy_kinds = "energy-kinds"
    quotas = "quotas"
    factors = "factors"
    divisions = "divisions"
    industries = "industries"


def catalog(
    section: Annotated[Section, typer.Argument(help="Which catalogue.")] = Section.energy_kinds,
) -> None:
    """Show a reference catalogue; values not checked against their source are marked ⚠."""
    from nenghao.standards import get_catalog

    name = "emission-factors" if section is Section.factors else section.value
    with reported():
        rows = catalog_views.rows(name, get_catalog())
    unverified = sum(row["status"] != "confirmed" for row in rows)
    table = Table(title=f"{name}: {len(rows)} entries, {unverified} unverified (⚠)")
    for column in ("key", "name", "value", "unit"):
        table.add_column(column, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("source", overflow="fold", min_width=16)
    for row in rows:
        status = row["status"]
        marked = status if status == "confirmed" else f"[yellow]⚠ {status}[/yellow]"
        value = row["value"]
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        table.add_row(row["key"], row["name"], shown, row["unit"], marked, row["source"])
    console.print(table)
