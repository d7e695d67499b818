"""The scenario every simulated-meter reader is checked with: 3 meters (120, 157, 194 kW;
1000, 2000, 3000 kWh) wrapping at 2 500.00 kWh, on a clock moved by hand."""

from __future__ import annotations

import pytest

from nenghao.gateway.faults import Fault


def check_advance_and_roll_over(reader, clock) -> None:
    """Registers advance with the clock and wrap at the configured maximum."""
    assert reader.read_all() == {"M0": 1000.0, "M1": 2000.0, "M2": 500.0}  # 3000 wraps to 500
    clock.t += 3600  # one hour: +120, +157, +194 kWh
    assert reader.read_all() == {"M0": 1120.0, "M1": 2157.0, "M2": 694.0}
    clock.t += 3 * 3600  # M1: 2157 + 471 = 2628 → wraps at 2500.00 to 128.00
    assert reader.read_all()["M1"] == pytest.approx(128.0)


def check_offline_frozen_reset(simulator, clock, reader, offline: Fault) -> None:
    """Meter 1 offline answers `offline`, meter 2 frozen keeps 500, meter 0 reset counts anew."""
    simulator.inject("offline", 1)
    simulator.inject("frozen", 2)
    simulator.inject("reset", 0)
    clock.t += 1800  # half an hour: meter 0 counted 60 kWh since its reset
    values = reader.read_all()
    assert values["M1"] == offline
    assert values["M2"] == 500.0
    assert values["M0"] == 60.0
