"""Missing minimum indicators are listed by name (energy kind, product), never by code."""

from __future__ import annotations

from nenghao.monitor.indicators import _event, indicator_name


def test_indicators_are_named_from_the_catalogue() -> None:
    # energy_kinds.toml: [raw_coal] name_zh = "原煤"; quotas.toml: sinter -> "烧结工序"
    assert indicator_name("energy:raw_coal") == "原煤消费量"
    assert indicator_name("product:sinter") == "烧结工序产量"
    assert indicator_name("total_consumption") == "综合能源消费量"
    assert indicator_name("output_value:unregistered") == "工业总产值（未登记数据项）"


def test_the_event_message_lists_names() -> None:
    start = 1_780_243_200  # 2026-06-01 00:00 CST
    event = _event(7, "day", start, start + 86_400, ["energy:electricity", "added_value"])
    assert event.message == "2026-06-01 缺少必报指标：电力消费量、工业增加值"
    assert event.points == 2
