"""Alerts the monitor writes read Chinese first and name what they are about: the rule by its
Chinese name (the same names the dashboard shows), the enterprise and the item by name, a
target by its subject's name; never a rule code or an enterprise number in a title."""

from __future__ import annotations

import re
from pathlib import Path

import crafted
from sqlalchemy import select

from factories import add_enterprise, add_item
from nenghao.app.monitoring import _target_candidate
from nenghao.monitor.alerting import RULE_NAMES_ZH, RULES, RuleSetting, from_events, live_candidates
from nenghao.monitor.runner import month_window, run_window
from nenghao.store.schema import quality_events

ZH_CN = Path(__file__).parents[2] / "web" / "src" / "i18n" / "zh-CN.ts"
CJK = re.compile(r"[\u4e00-\u9fff]")
CODES = {
    f"ent.{name}" for name in ("electricity", "natural_gas", "steam", "output_value", "added_value")
}
"""Item codes of the hand-made enterprise (codes, not words)."""


def _dashboard_rule_names() -> dict[str, str]:
    block = ZH_CN.read_text(encoding="utf-8").split("\n  rules: {\n", 1)[1].split("\n  },", 1)[0]
    return dict(re.findall(r"^\s+(\w+): '([^']+)',$", block, re.MULTILINE))


def test_every_rule_has_the_dashboards_chinese_name():
    assert set(RULE_NAMES_ZH) == set(RULES)
    assert _dashboard_rule_names() == RULE_NAMES_ZH


def test_quality_alerts_are_titled_by_rule_enterprise_and_item(engine):
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0TTLE01", "210302", "3110")
        item = add_item(
            conn, enterprise, "E01", name="一号高炉电耗", energy_kind="electricity", unit="kWh"
        )
        event = {
            "rule": "flat_line",
            "subject": f"item:{item}",
            "message": "E01 from 2026-08-01: 12 readings repeat 5 kWh (stuck meter?)",
            "severity": "warning",
            "enterprise_id": enterprise,
            "item_id": item,
            "start": 0,
            "end": 3600,
            "period": "hour",
        }
        (candidate,) = from_events(conn, [event])
    assert candidate.title == "数值长时间不变：企业MA0TTLE01 一号高炉电耗"
    assert candidate.division_code == "210302"


def test_live_alerts_read_chinese_first(engine):
    settings = {
        name: RuleSetting(name, spec.kind, True, spec.severity, spec.params, spec.description)
        for name, spec in RULES.items()
    }
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "MA0TTLE02", "210302", "3110")
        add_item(
            conn, enterprise, "E02", name="二号机组电耗", energy_kind="electricity", unit="kWh"
        )
        offline, outages = live_candidates(conn, 30 * 86_400, settings)
    assert offline[0].title == "设备离线：企业MA0TTLE02"
    assert outages[0].title == "中断未修复：企业MA0TTLE02 二号机组电耗"
    for candidate in (*offline, *outages):
        assert CJK.match(candidate.message.split("：", 1)[1]), candidate.message


def test_target_warning_names_its_subject_in_chinese():
    target = {"id": 7, "year": 2026, "level": "division", "subject": "210302"}
    answer = {
        "as_of": "2026-08-31",
        "indicators": {"energy_intensity": {"level": "red", "ratio": 1.0834}},
    }
    candidate = _target_candidate(target, answer, "red", "铁东区")
    assert candidate.title == "目标预警（红色）：2026 年区县目标 铁东区"
    assert candidate.message.startswith(
        "2026 年区县目标 铁东区 截至 2026-08-31 为红色预警，预计值/目标值：能耗强度 1.08"
    )
    assert candidate.severity == "critical"


def test_quality_event_messages_read_chinese_first(engine):
    """Each fault of the hand-made enterprise is told in Chinese before its English tail;
    only item codes and units stay Latin there."""
    with engine.begin() as conn:
        ids = crafted.build(conn)
    run_window(engine, month_window(2025, 3, crafted.at(10, 0, month=4)), kind="month")
    with engine.connect() as conn:
        rows = conn.execute(select(quality_events.c.rule, quality_events.c.message)).all()
    assert len(rows) == 12
    for _rule, message in rows:
        chinese = message.split(" / ")[0]
        assert CJK.search(chinese), message
        words = set(re.findall(r"[A-Za-z][A-Za-z0-9._]*", chinese))
        assert words <= {"kWh", "m3", "t", "h"} | CODES, message
    assert ids
