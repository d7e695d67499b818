"""The access end (接入端): reads meters, queues every reading locally, uploads signed messages.

Built on the published uplink protocol only (docs/uplink-protocol.md), never on the platform's
internals: ``config`` (the TOML file), ``modbus`` and ``decoding`` (meter reads), ``poller``
(the cadence), ``queue`` (store-and-forward), ``signing`` and ``uploader`` (the protocol's
client side), ``status``, ``simulate_modbus`` (simulated meters). docs/gateway.md.
"""
