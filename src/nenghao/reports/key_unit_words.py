"""Chinese words of the key-unit answer (registered level, level from consumption, finding)."""

from __future__ import annotations

LEVEL_ZH = {"key": "重点用能单位", "designated": "省指定重点用能单位", "none": "非重点用能单位"}
"""Registered key-unit level."""

ACTUAL_ZH = {
    "key": "达到重点用能单位标准",
    "designated_range": "达到省指定范围",
    "below": "低于两档标准",
}
"""Level reached by the year's actual consumption."""

FINDING_ZH = {
    "consistent": "登记与实际相符",
    "below_key_threshold": "已登记为重点用能单位，但实际能耗低于1万tce",
    "below_thresholds": "已登记，但实际能耗低于0.5万tce",
    "above_registered_level": "实际能耗已达1万tce，高于登记类别",
    "unregistered_key_unit": "未登记，但实际能耗已达1万tce",
    "may_be_designated": "未登记，实际能耗在0.5万～1万tce，可由省指定",
}
"""Finding of registered against actual level."""
