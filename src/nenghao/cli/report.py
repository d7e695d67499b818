"""``nenghao report``: the monthly city workbook and the enterprise annual PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nenghao.cli.common import console, engine, fail, reported
from nenghao.store.scope import Scope

app = typer.Typer(help="Reports: monthly city XLSX, enterprise annual PDF.", no_args_is_help=True)


def _save(content: bytes, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    console.print(f"wrote {out} ({len(content):,} bytes)")


@app.command("monthly")
def monthly(
    year: Annotated[int, typer.Option(min=2000, max=2100, help="Year.")],
    month: Annotated[int, typer.Option(min=1, max=12, help="Month 1-12.")],
    out: Annotated[Path | None, typer.Option(help="Output file.")] = None,
) -> None:
    """Monthly city report (XLSX): sheets by division, industry and enterprise, with charts."""
    from nenghao.reports.monthly_xlsx import monthly_report

    with reported():
        db = engine()
        with db.connect() as conn:
            content = monthly_report(conn, Scope.all(), year, month)
        db.dispose()
    _save(content, out or Path(f"monthly-{year}-{month:02d}.xlsx"))


@app.command("enterprise")
def enterprise(
    enterprise_id: Annotated[int, typer.Argument(min=1, help="Enterprise id.")],
    year: Annotated[int, typer.Option(min=2000, max=2100, help="Year.")],
    out: Annotated[Path | None, typer.Option(help="Output file.")] = None,
) -> None:
    """Enterprise annual energy-utilisation report (能源利用状况报告, PDF)."""
    from nenghao.reports.enterprise_pdf import enterprise_report
    from nenghao.reports.errors import ReportFontError

    with reported():
        db = engine()
        try:
            with db.connect() as conn:
                content = enterprise_report(conn, Scope.all(), enterprise_id, year)
        except ReportFontError as exc:
            fail(str(exc), code=1)
        finally:
            db.dispose()
    _save(content, out or Path(f"energy-report-{enterprise_id}-{year}.pdf"))
