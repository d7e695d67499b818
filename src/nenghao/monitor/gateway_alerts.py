"""Live alerts on gateway heartbeats (docs/monitor.md): ``gateway_heartbeat_stale`` when a
device key's latest heartbeat is older than `intervals` of the intervals it announced, and
``gateway_clock_skew`` when its clock is off by more than `tolerance_s` (default: the
protocol's ±300 s, beyond which its uploads are refused as ``stale_timestamp``).

The skew judged is the larger in size of the platform's (``received_at − sent_at`` of the
heartbeat) and the one the gateway reported (``clock_skew_s``, from the platform's answers).
One alert per device key (subject ``device:{key_id}``); revoked keys and inactive enterprises
are not judged. Both clear once the next heartbeat is fresh or the clock is set
(`nenghao.monitor.service.Monitor.live`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from nenghao.monitor.alerting import Candidate, RuleSetting
from nenghao.standards.calendar import to_cst
from nenghao.store.schema import device_credentials, device_heartbeats, enterprises

STALE_RULE = "gateway_heartbeat_stale"
SKEW_RULE = "gateway_clock_skew"
GATEWAY_RULES = (STALE_RULE, SKEW_RULE)


def heartbeat_candidates(
    conn: Connection, as_of: int, rules: Mapping[str, RuleSetting]
) -> dict[str, list[Candidate]]:
    """The candidates of each gateway rule at `as_of` [Unix s], by rule."""
    intervals = float(rules[STALE_RULE].params["intervals"])
    tolerance = float(rules[SKEW_RULE].params["tolerance_s"])
    rows = conn.execute(
        select(
            device_heartbeats,
            device_credentials.c.label,
            enterprises.c.name.label("enterprise_name"),
            enterprises.c.division_code,
        )
        .join(device_credentials, device_credentials.c.key_id == device_heartbeats.c.key_id)
        .join(enterprises, enterprises.c.id == device_heartbeats.c.enterprise_id)
        .where(device_credentials.c.revoked_at.is_(None), enterprises.c.active.is_(True))
        .order_by(device_heartbeats.c.key_id)
    ).mappings()
    found: dict[str, list[Candidate]] = {STALE_RULE: [], SKEW_RULE: []}
    for row in map(dict, rows):
        if as_of - row["received_at"] > intervals * row["interval_s"]:
            found[STALE_RULE].append(_stale(row, as_of, intervals))
        skew = _worst_skew(row)
        if abs(skew) > tolerance:
            found[SKEW_RULE].append(_skewed(row, skew, tolerance))
    return found


def _worst_skew(row: Mapping[str, Any]) -> float:
    measured = float(row["received_at"] - row["sent_at"])
    reported = row["reported_skew_s"]
    if reported is not None and abs(reported) > abs(measured):
        return float(reported)
    return measured


def _names(row: Mapping[str, Any]) -> tuple[str, str]:
    """(the device's name — its label, else its key id —, the enterprise's name)."""
    return row["label"] or row["key_id"], row["enterprise_name"]


def _base(row: Mapping[str, Any], rule: str) -> dict[str, Any]:
    return {
        "rule": rule,
        "subject": f"device:{row['key_id']}",
        "severity": "warning",
        "enterprise_id": row["enterprise_id"],
        "division_code": row["division_code"],
    }


def _stale(row: Mapping[str, Any], as_of: int, intervals: float) -> Candidate:
    device, enterprise = _names(row)
    last = to_cst(row["received_at"]).strftime("%Y-%m-%d %H:%M")
    minutes = (as_of - row["received_at"]) // 60
    limit = intervals * row["interval_s"] / 60
    return Candidate(
        **_base(row, STALE_RULE),
        title=f"网关心跳超时：{enterprise} {device}",
        message=f"{enterprise}的接入端设备“{device}”自 {last}（北京时间）起未发送心跳，"
        f"已 {minutes} 分钟，超过 {intervals:g} 个心跳间隔（{limit:g} 分钟）"
        f" / gateway {device} of {enterprise} sent no heartbeat since {last} CST"
        f" ({minutes} min, more than {intervals:g} intervals = {limit:g} min)",
        detail={
            "key_id": row["key_id"],
            "last_heartbeat_at": row["received_at"],
            "interval_s": row["interval_s"],
            "intervals": intervals,
        },
    )


def _skewed(row: Mapping[str, Any], skew: float, tolerance: float) -> Candidate:
    device, enterprise = _names(row)
    side_zh, side_en = ("慢", "behind") if skew > 0 else ("快", "ahead of")
    return Candidate(
        **_base(row, SKEW_RULE),
        title=f"网关时钟偏差：{enterprise} {device}",
        message=f"{enterprise}的接入端设备“{device}”时钟比平台{side_zh} {abs(skew):.0f} 秒，"
        f"超过协议容差 ±{tolerance:g} 秒，其上传将被拒绝（stale_timestamp），请校准时钟（NTP）"
        f" / the clock of gateway {device} of {enterprise} is {abs(skew):.0f} s {side_en} the"
        f" platform's, beyond ±{tolerance:g} s: its uploads are refused until it is set (NTP)",
        detail={
            "key_id": row["key_id"],
            "clock_skew_s": skew,
            "measured_skew_s": row["received_at"] - row["sent_at"],
            "reported_skew_s": row["reported_skew_s"],
            "tolerance_s": tolerance,
        },
    )
