"""The shared vocabulary: the words the schema, the API, the uplink and the CLI agree on.

Each set is one ``Literal`` type with its values as a tuple in a fixed order (the order of the
schema's CHECK constraints and of the choices shown to people). Statistic periods are not
here: they belong to the calendar. The reason codes of the uplink protocol are in
`nenghao.standards.reason_codes`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal, get_args

__all__ = [
    "ALERT_STATUSES",
    "ARCHIVE_STATUSES",
    "BASES",
    "CHANNELS",
    "CONSTRUCTION_TYPES",
    "CONSTRUCTION_TYPE_NAMES_ZH",
    "DEVICE_CHANNELS",
    "HEARTBEAT_STALE_FACTOR",
    "ITEM_APPROVALS",
    "KEY_UNIT_LEVELS",
    "MEASURES",
    "MEASURE_NAMES_ZH",
    "NOTIFICATION_KINDS",
    "PLAN_STATUSES",
    "QUALITIES",
    "QUARANTINE_STATUSES",
    "REVIEW_TIERS",
    "REVIEW_TIER_NAMES_ZH",
    "ROLES",
    "SEVERITIES",
    "SIGNING_WINDOW_S",
    "STAGES",
    "STAGE_NAMES_ZH",
    "TARGET_LEVELS",
    "USAGES",
    "USAGE_NAMES_ZH",
    "VALUE_KINDS",
    "VALUE_KIND_NAMES_ZH",
    "AlertStatus",
    "ArchiveStatus",
    "Basis",
    "Channel",
    "ConstructionType",
    "ItemApproval",
    "KeyUnitLevel",
    "Measure",
    "NotificationKind",
    "PlanStatus",
    "Quality",
    "QuarantineStatus",
    "RecordStatus",
    "ReviewTier",
    "Role",
    "Severity",
    "Stage",
    "TargetLevel",
    "Usage",
    "ValueKind",
]

# --- people ----------------------------------------------------------------------------

Role = Literal["admin", "regulator", "district", "enterprise", "auditor"]
"""A user's role: admin; the city regulator; a district regulator (one division); an
enterprise's energy manager (one enterprise); the read-only auditor."""
ROLES: tuple[Role, ...] = get_args(Role)

# --- register --------------------------------------------------------------------------

KeyUnitLevel = Literal["key", "designated", "none"]
"""key: >= 10 000 tce/yr; designated: 5 000-10 000 tce/yr named by the province; none."""
KEY_UNIT_LEVELS: tuple[KeyUnitLevel, ...] = get_args(KeyUnitLevel)

Measure = Literal["energy", "medium", "product", "output_value", "added_value"]
"""What a data item measures: an energy kind, an energy-carrying medium, a product's output,
the output value or the added value."""
MEASURES: tuple[Measure, ...] = get_args(Measure)

Usage = Literal["consumption", "raw_material", "export", "production", "value"]
"""How a data item's quantity counts at its boundary."""
USAGES: tuple[Usage, ...] = get_args(Usage)

Stage = Literal["fence", "purchase", "conversion", "distribution", "end_use"]
"""Where in the enterprise's energy flow a data item meters: the enterprise fence
(进出用能单位), purchase and storage (购入储存), processing and conversion (加工转换),
transport and distribution (输送分配) or final use (最终使用). The stages follow the energy
flow of GB 17167-2006 (status: verify the clause; see docs/items.md)."""
STAGES: tuple[Stage, ...] = get_args(Stage)

ValueKind = Literal["interval", "register"]
"""interval: records carry the amount over a period; register: cumulative meter readings,
from which the intervals are derived."""
VALUE_KINDS: tuple[ValueKind, ...] = get_args(ValueKind)

Basis = Literal["equivalent", "equal"]
"""The basis of electricity and heat in standard coal: equivalent (当量值) or equal
(等价值) value, GB/T 2589-2020, 3.2 and 3.3."""
BASES: tuple[Basis, ...] = get_args(Basis)

TargetLevel = Literal["city", "division", "enterprise"]
"""Whom a dual-control target binds."""
TARGET_LEVELS: tuple[TargetLevel, ...] = get_args(TargetLevel)

MEASURE_NAMES_ZH: dict[str, str] = {
    "energy": "能源",
    "medium": "耗能工质",
    "product": "产品产量",
    "output_value": "工业总产值",
    "added_value": "工业增加值",
}
USAGE_NAMES_ZH: dict[str, str] = {
    "consumption": "消耗",
    "raw_material": "原料用",
    "export": "外供",
    "production": "产出",
    "value": "价值量",
}
STAGE_NAMES_ZH: dict[str, str] = {
    "fence": "进出用能单位",
    "purchase": "购入储存",
    "conversion": "加工转换",
    "distribution": "输送分配",
    "end_use": "最终使用",
}
VALUE_KIND_NAMES_ZH: dict[str, str] = {"interval": "区间量", "register": "累计读数"}
"""Chinese names of the data-item vocabulary, for messages, templates and documents."""

# --- uplink ----------------------------------------------------------------------------

Channel = Literal["http", "mqtt", "file", "manual"]
"""How a payload arrived: signed HTTPS or MQTT from a device, a file import, a manual filing.
A reading's ``source`` is its channel."""
CHANNELS: tuple[Channel, ...] = get_args(Channel)
DEVICE_CHANNELS: tuple[Channel, ...] = ("http", "mqtt")
"""The channels a device signs for (the others are a signed-in person's)."""
SIGNING_WINDOW_S = 300
"""The uplink protocol's clock tolerance: a signed timestamp further than this from the
platform clock is refused (``stale_timestamp``), and a gateway's clock skew beyond it is
shown [s]."""
HEARTBEAT_STALE_FACTOR = 3
"""A gateway heartbeat is stale once this many of its announced intervals have passed."""

Quality = Literal["good", "estimated", "manual", "suspect"]
"""A reading's quality. good: measured; estimated: computed or interpolated by the device;
manual: typed in; suspect: measured but doubted by the device (kept, flagged)."""
QUALITIES: tuple[Quality, ...] = get_args(Quality)

ArchiveStatus = Literal["received", "processed", "rejected"]
"""An archived payload: stored and not yet processed, processed, or refused as a whole."""
ARCHIVE_STATUSES: tuple[ArchiveStatus, ...] = get_args(ArchiveStatus)

QuarantineStatus = Literal["open", "reprocessed", "dismissed"]
"""A quarantined record: waiting, sent through validation again, or dismissed with a reason."""
QUARANTINE_STATUSES: tuple[QuarantineStatus, ...] = get_args(QuarantineStatus)


class RecordStatus(StrEnum):
    """The result of one record, as acknowledged to the device."""

    ACCEPTED = "accepted"
    """Stored as the first revision of its slot."""
    DUPLICATE = "duplicate"
    """The slot already holds the same value, unit and quality; nothing changed."""
    REVISED = "revised"
    """The slot held another value; this one is stored as a new revision, history kept."""
    REJECTED = "rejected"
    """Not stored as a reading; quarantined with `code` and `message`."""


# --- alerts ----------------------------------------------------------------------------

AlertStatus = Literal["open", "acknowledged", "resolved"]
"""An alert's lifecycle: open -> acknowledged -> resolved."""
ALERT_STATUSES: tuple[AlertStatus, ...] = get_args(AlertStatus)

Severity = Literal["info", "warning", "critical"]
"""Severity of a data-quality finding or an alert, least severe first."""
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

NotificationKind = Literal["webhook", "email"]
"""Where a notification channel sends alerts: a signed webhook or e-mail recipients."""
NOTIFICATION_KINDS: tuple[NotificationKind, ...] = get_args(NotificationKind)

# --- collection plan (采集方案) -----------------------------------------------------------

PlanStatus = Literal["draft", "submitted", "approved", "returned"]
"""A collection plan's state: being drafted (nothing under review), submitted for review,
approved, or returned with the reviewer's comment. Stored versions are submitted, approved or
returned; draft is the plan between versions."""
PLAN_STATUSES: tuple[PlanStatus, ...] = get_args(PlanStatus)

ItemApproval = Literal["draft", "approved", "changed"]
"""A data item's place in the collection plan: draft (registered, never approved: its data is
quarantined), approved, or changed (approved, changed or deactivated since: it still accepts
data, and the change is listed in the next plan version)."""
ITEM_APPROVALS: tuple[ItemApproval, ...] = get_args(ItemApproval)

# --- energy-saving review of projects (节能审查) -----------------------------------------

ConstructionType = Literal["new", "expansion", "reconstruction"]
"""A fixed-asset investment project's construction: new build (新建), expansion (扩建) or
same-site reconstruction (改建, site, main process and equipment unchanged: the increment
counts)."""
CONSTRUCTION_TYPES: tuple[ConstructionType, ...] = get_args(ConstructionType)
CONSTRUCTION_TYPE_NAMES_ZH: dict[str, str] = {
    "new": "新建",
    "expansion": "扩建",
    "reconstruction": "改建",
}

ReviewTier = Literal["provincial", "local", "exempt"]
"""Who reviews a project's energy use: the provincial authority (>= 10 000 tce), the level the
province assigns (below that, with an energy report), or nobody separately (no separate energy
report: < 1 000 tce and < 5 million kWh, or a simple-process industry)."""
REVIEW_TIERS: tuple[ReviewTier, ...] = get_args(ReviewTier)
REVIEW_TIER_NAMES_ZH: dict[str, str] = {
    "provincial": "省级节能审查",
    "local": "地方节能审查",
    "exempt": "不单独进行节能审查",
}
