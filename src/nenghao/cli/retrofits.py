"""``nenghao retrofits``: energy-saving retrofit projects (节能改造项目) — the ledger with
verified against claimed savings (and its XLSX), registering a project from a file, its M&V,
non-routine adjustments and the verification report PDF. Commands act on the whole city."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from nenghao.cli.common import AsJson, Enterprise, actor, console, fail, print_json, say, session
from nenghao.cli.users import resolve_enterprise
from nenghao.reports.retrofit_pdf import verification_pdf
from nenghao.reports.retrofits_xlsx import ledger_workbook
from nenghao.retrofits import register
from nenghao.retrofits.verification import verify
from nenghao.retrofits.views import describe, ledger, verification
from nenghao.store.scope import Scope

app = typer.Typer(help="Energy-saving retrofit projects (节能改造项目).", no_args_is_help=True)
Id = Annotated[int, typer.Argument(min=1, max=2**31 - 1, help="The retrofit's id.")]
STATUS_ZH = {"verified": "已核验", "model_rejected": "模型未通过", "no_data": "数据不足"}


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}"


@app.command("list")
def list_retrofits(
    xlsx: Annotated[Path | None, typer.Option(help="Write the ledger as XLSX here.")] = None,
    as_json: AsJson = False,
) -> None:
    """Every retrofit with its verified saving per year beside the claim."""
    with session() as conn:
        rows = ledger(conn, Scope.all())
    if xlsx is not None:
        content = ledger_workbook(rows)
        xlsx.write_bytes(content)
        say(f"wrote {xlsx} ({len(content)} bytes)")
        return
    if as_json:
        print_json(rows)
        return
    table = Table(title="节能改造项目台账 (tce/a)")
    for column in ("id", "enterprise", "retrofit", "claimed", "verified", "±90%", "status", ""):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["enterprise_name"],
            row["name"],
            _figure(row["claimed_saving_tce"]),
            _figure(row["verified_tce"]),
            _figure(row["uncertainty_tce"]),
            STATUS_ZH[row["status"]] + (f" ({row['problem']})" if row["problem"] else ""),
            "低于核验比例" if row["flagged"] else "",
        )
    console.print(table)


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (OSError, ValueError) as exc:
        fail(f"{path}: {exc} [invalid_input]")
    if not isinstance(raw, dict):
        fail(f"{path}: a table of fields [invalid_input]")
    return raw


@app.command("create")
def create(
    enterprise: Enterprise,
    file: Annotated[Path, typer.Option("--file", "-f", help="retrofit.toml or retrofit.json")],
) -> None:
    """Register a retrofit from a file with the API's fields (docs/mv.md); audited."""
    fields = _read(file)
    with session(write=True) as conn:
        enterprise_id = resolve_enterprise(conn, enterprise)
        row = register.create(conn, Scope.all(), enterprise_id, fields, actor=actor())
    say(f"registered: 节能改造项目 {row['id']} {row['enterprise_name']} {row['name']}")


@app.command("verify")
def verify_command(retrofit: Id, as_json: AsJson = False) -> None:
    """The retrofit's M&V: the baseline model and its criteria, the saving and the claim."""
    with session() as conn:
        answer = verification(verify(conn, Scope.all(), retrofit))
    if as_json:
        print_json(answer)
        return
    model, savings, claim = answer["model"], answer["savings"], answer["claim"]
    say(
        f"基准模型 CV(RMSE) {model['cvrmse']:.1%} (≤ {model['cvrmse_max']:.0%}), "
        f"NMBE {model['nmbe']:.2%} (≤ ±{model['nmbe_max']:.0%}): "
        f"{'满足' if model['accepted'] else '不满足'}"
    )
    for advice in model["advice"]:
        say(f"  {advice['zh']}")
    say(
        f"节能量 {savings['avoided_tce']:,.1f} ± {savings['uncertainty_tce']:,.1f} tce "
        f"(当量值, 90%), 等价值 {savings['avoided_equal_tce']:,.1f} tce, "
        f"{savings['avoided_tco2']:,.1f} tCO2"
    )
    say(
        f"折合每年 {savings['annual_avoided_tce']:,.1f} tce/a，申报 "
        f"{claim['claimed_saving_tce']:,.1f} tce/a，比例 {claim['ratio']:.0%}"
        + ("，低于核验比例" if claim["flagged"] else "")
    )


@app.command("adjust")
def adjust(
    retrofit: Id,
    month: Annotated[str, typer.Option(help="A reporting-period month, YYYY-MM.")],
    kind: Annotated[str, typer.Option(help="capacity, product or other.")],
    amount: Annotated[float, typer.Option(help="tce added to the baseline (negative: less).")],
    reason: Annotated[str, typer.Option(help="Why the adjustment is made.")],
) -> None:
    """Enter a non-routine adjustment with its reason; audited."""
    if kind not in ("capacity", "product", "other"):
        fail(f"kind: {kind!r} is not capacity, product or other [validation_error]")
    fields = {"month": month, "kind": kind, "amount_tce": amount, "reason": reason}
    with session(write=True) as conn:
        row = register.add_adjustment(conn, Scope.all(), retrofit, fields, actor=actor())
    say(f"adjustment {row['id']}: {row['month']:%Y-%m} {row['amount_tce']:+,.1f} tce")


@app.command("pdf")
def pdf(
    retrofit: Id,
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
) -> None:
    """Write the verification report (节能量核验报告) as PDF."""
    with session() as conn:
        result = verify(conn, Scope.all(), retrofit)
    content = verification_pdf(describe(result.retrofit), verification(result))
    output.write_bytes(content)
    say(f"wrote {output} ({len(content)} bytes)")
