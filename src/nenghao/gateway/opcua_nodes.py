"""Names of the simulated OPC UA meters' nodes, apart from the server so that writing an example
configuration does not load asyncua."""

from __future__ import annotations

NAMESPACE = "urn:nenghao:simulated-meters"
"""The namespace URI of the simulated meters."""


def energy_node(index: int, *, counts: bool = False) -> str:
    """The node id's identifier part of meter `index` (0-based): ``s=Meter0001.Energy``."""
    return f"s=Meter{index + 1:04d}.Energy{'Counts' if counts else ''}"
