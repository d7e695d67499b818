"""The composition root: builds the application from the settings.

It wires the engine, the uplink service (`nenghao.ingest.service.UplinkService`), the
monitor and its scheduler, the MQTT subscriber, the background storing of held messages,
the API (`nenghao.api`) and the web dashboard (`nenghao.web`). Nothing below imports it;
the command line and the servers start here.
"""

from nenghao.app.server import create_app, timeouts
from nenghao.app.uplink import build_uplink, uplink_limits

__all__ = ["build_uplink", "create_app", "timeouts", "uplink_limits"]
