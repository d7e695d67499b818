"""On the demo city every injected fault is found, and little else is flagged.

A 40-day build ending 2025-10-20 holds every hourly fault (placed at fractions of the range)
and one complete month (September) for the monthly faults, plus real events that must not
be flagged: a whole-site maintenance stop (chem-05, 8 % activity), the hot-strip-mill
maintenance (steel-int rolling at 30 %, which drives the grid purchase to its contracted
floor) and the National Day holiday of the equipment makers (40 %).

False-positive rate = item-days (an item, or an enterprise, and a CST day) with an event
that no injected fault explains / item-days evaluated. Stated limit: 0.1 %.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from nenghao.demo import build_demo, load_manifest
from nenghao.monitor.labelled import DETECTED_BY, compare
from nenghao.monitor.runner import run_window
from nenghao.monitor.series_checks import Window
from nenghao.store.schema import data_items, enterprises

FALSE_POSITIVE_LIMIT = 0.001
DAY = 86_400


def test_every_injected_fault_is_found(engine, tmp_path):
    summary = build_demo(engine, days=40, end=date(2025, 10, 20), manifest_dir=tmp_path)
    manifest = load_manifest(summary.manifest_path)
    assert {fault.kind for fault in manifest.faults} == set(DETECTED_BY)
    assert {event.kind for event in manifest.events} >= {"maintenance", "holiday"}
    window = Window(manifest.start_ts, manifest.end_ts, manifest.end_ts + 10 * DAY)
    result = run_window(engine, window)
    with engine.connect() as conn:
        items = {
            row.id: (row.credit_code, row.code)
            for row in conn.execute(
                select(data_items.c.id, data_items.c.code, enterprises.c.credit_code).join(
                    enterprises, enterprises.c.id == data_items.c.enterprise_id
                )
            )
        }
        firms = dict(conn.execute(select(enterprises.c.id, enterprises.c.credit_code)).all())
    found = compare(
        result.evaluation.events,
        manifest.faults,
        items,
        firms,
        len(result.evaluation.item_days),
        window.start,
    )
    assert [(f.kind, f.enterprise, f.item_code) for f in found.missed] == []
    assert found.recall == 1.0
    assert found.false_positive_rate <= FALSE_POSITIVE_LIMIT, [e.message for e in found.unexplained]
