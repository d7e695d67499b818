"""The ``nenghao`` command: serve, db, user, device, items, plans, status, faults, filings,
annual-reports, notices, projects, two-high, pathway, retrofits, gateway, federation, catalog,
convert, demo."""

from __future__ import annotations

import typer

from nenghao import __version__
from nenghao.cli import (
    annual_reports,
    catalog,
    convert,
    db,
    demo,
    device,
    enterprises,
    faults,
    federation,
    filings,
    gateway,
    importer,
    items,
    monitor,
    mqtt,
    notices,
    pathway,
    plans,
    project_operation,
    projects,
    report,
    retrofits,
    rollups,
    serve,
    status,
    two_high,
    users,
)

app = typer.Typer(
    name="nenghao",
    help="nenghao 能耗 — online energy-consumption monitoring for key energy-using enterprises.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(serve.serve)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="user")
app.add_typer(device.app, name="device")
app.command()(catalog.catalog)
# ignore_unknown_options lets a negative VALUE such as -5 through as an argument
app.command(context_settings={"ignore_unknown_options": True})(convert.convert)
app.command()(demo.demo)
app.add_typer(report.app, name="report")
app.add_typer(rollups.app, name="rollups")
app.command("import")(importer.import_file)
app.add_typer(items.app, name="items")
app.add_typer(enterprises.app, name="enterprises")
app.add_typer(plans.app, name="plans")
app.add_typer(mqtt.app, name="mqtt")
app.add_typer(monitor.app, name="monitor")
app.add_typer(monitor.alerts_app, name="alerts")
app.add_typer(status.app, name="status")
app.add_typer(faults.app, name="faults")
app.add_typer(filings.app, name="filings")
app.add_typer(annual_reports.app, name="annual-reports")
app.add_typer(notices.app, name="notices")
app.add_typer(two_high.app, name="two-high")
app.add_typer(pathway.app, name="pathway")
app.add_typer(retrofits.app, name="retrofits")
app.add_typer(gateway.app, name="gateway")
app.add_typer(projects.app, name="projects")
app.add_typer(project_operation.app, name="project-operation")
app.add_typer(federation.app, name="federation")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point of the ``nenghao`` console script."""
    app()


if __name__ == "__main__":
    main()
