"""``nenghao mqtt``: the MQTT uplink subscriber, and ``nenghao mqtt sync-broker``."""

from __future__ import annotations

import typer

from nenghao.cli.common import console, engine, fail, settings, uplink

app = typer.Typer(
    help="The MQTT uplink: run the subscriber (no subcommand) or maintain the broker.",
    invoke_without_command=True,
)


@app.callback()
def run(ctx: typer.Context) -> None:
    """Run the MQTT uplink subscriber in the foreground (settings: NENGHAO_MQTT_*)."""
    if ctx.invoked_subcommand is not None:
        return
    from nenghao.ingest.mqtt import UplinkSubscriber

    current = settings()
    service = uplink(current, engine(current))
    console.print(
        f"subscribing to {current.mqtt_subscription} on {current.mqtt_host}:{current.mqtt_port}"
        f" as {current.mqtt_client_id} (Ctrl-C stops)",
        markup=False,
        highlight=False,
    )
    UplinkSubscriber(service, current).run_forever()


@app.command("sync-broker")
def sync_broker() -> None:
    """Rebuild the broker's clients and ACLs from the device keys (Mosquitto dynamic security).

    Needs NENGHAO_MQTT_ADMIN_USERNAME/_PASSWORD (the plugin's admin) and
    NENGHAO_MQTT_USERNAME/_PASSWORD (the platform's own client). Idempotent: clients already
    right keep their connections.
    """
    from nenghao.ingest import broker_sync
    from nenghao.ingest.dynsec import BrokerError

    current = settings()
    if not current.mqtt_admin_username:
        fail("set NENGHAO_MQTT_ADMIN_USERNAME and NENGHAO_MQTT_ADMIN_PASSWORD first")
    db = engine(current)
    try:
        report = broker_sync.sync_broker(uplink(current, db).credentials, current)
    except BrokerError as exc:
        fail(str(exc), code=1)
    finally:
        db.dispose()
    console.print(f"broker in step with the device keys: {report}", markup=False)
