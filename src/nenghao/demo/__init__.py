"""A deterministic synthetic Anshan: fictional enterprises, data items, two years of readings.

Public API::

    from nenghao.demo import build_demo, DemoSummary, demo_present, load_manifest

See docs/demo.md for what the demo city holds.
"""

from __future__ import annotations

from nenghao.demo.build import (
    DemoAlreadyPresentError,
    DemoSummary,
    build_demo,
    demo_present,
    remove_demo,
)
from nenghao.demo.manifest import Manifest, ManifestEvent, ManifestFault, load_manifest

__all__ = [
    "DemoAlreadyPresentError",
    "DemoSummary",
    "Manifest",
    "ManifestEvent",
    "ManifestFault",
    "build_demo",
    "demo_present",
    "load_manifest",
    "remove_demo",
]
