"""Stable reason codes of the uplink protocol, with what they reject and short messages.

Every rejection of an uplink (a whole message, one record, a signature, a register reading,
an imported file or one of its rows) names exactly one `ReasonCode`. The codes are part of
the wire protocol: they appear in acknowledgements, error responses and import results, are
documented in ``docs/uplink-protocol.md`` (appendix C) and must never be renamed or reused
with another meaning. New codes may be added.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["REASONS", "RETRY", "Reason", "ReasonCode", "Rejects", "Retry", "reason", "retry"]


class Rejects(StrEnum):
    """What a reason code rejects."""

    MESSAGE = "message"
    """The whole message is refused; nothing of it is stored."""
    RECORD = "record"
    """One record is refused (and quarantined); the other records are unaffected."""
    SIGNATURE = "signature"
    """The request or MQTT envelope is not authenticated; nothing is read."""
    FILE = "file"
    """File import: the file as a whole, or one row of it, cannot be read into records."""


class ReasonCode(StrEnum):
    """Machine-readable reason for a rejection (stable, snake_case)."""

    # --- whole message -----------------------------------------------------------------
    BODY_TOO_LARGE = "body_too_large"
    MALFORMED_JSON = "malformed_json"
    JSON_TOO_DEEP = "json_too_deep"
    DUPLICATE_KEY = "duplicate_key"
    WRONG_TYPE = "wrong_type"
    NOT_FINITE = "not_finite"
    MISSING_FIELD = "missing_field"
    UNEXPECTED_FIELD = "unexpected_field"
    INVALID_VALUE = "invalid_value"
    UNKNOWN_PROTOCOL = "unknown_protocol"
    INVALID_CREDIT_CODE = "invalid_credit_code"
    INVALID_DATETIME = "invalid_datetime"
    NAIVE_DATETIME = "naive_datetime"
    MISALIGNED_START = "misaligned_start"
    NO_VALUE = "no_value"
    NEGATIVE_REGISTER = "negative_register"
    INVALID_REGISTER_EVENT = "invalid_register_event"
    NO_RECORDS = "no_records"
    TOO_MANY_RECORDS = "too_many_records"
    DUPLICATE_RECORD = "duplicate_record"
    DEVICE_MISMATCH = "device_mismatch"
    ENTERPRISE_MISMATCH = "enterprise_mismatch"
    # --- one record --------------------------------------------------------------------
    UNKNOWN_ITEM = "unknown_item"
    ITEM_NOT_APPROVED = "item_not_approved"
    PERIOD_MISMATCH = "period_mismatch"
    UNIT_MISMATCH = "unit_mismatch"
    VALUE_REQUIRED = "value_required"
    REGISTER_REQUIRED = "register_required"
    VALUE_NOT_ALLOWED = "value_not_allowed"
    FUTURE_PERIOD = "future_period"
    NEGATIVE_VALUE = "negative_value"
    VALUE_TOO_LARGE = "value_too_large"
    REGISTER_BACKWARDS = "register_backwards"
    REGISTER_OUT_OF_RANGE = "register_out_of_range"
    RESET_UNBRIDGED = "reset_unbridged"
    REPLACEMENT_SUSPECTED = "replacement_suspected"
    NOT_MANUAL_ITEM = "not_manual_item"
    OLDER_THAN_STORED = "older_than_stored"
    # --- signature ---------------------------------------------------------------------
    MISSING_SIGNATURE_FIELD = "missing_signature_field"
    MALFORMED_SIGNATURE_FIELD = "malformed_signature_field"
    MALFORMED_ENVELOPE = "malformed_envelope"
    UNKNOWN_KEY = "unknown_key"
    STALE_TIMESTAMP = "stale_timestamp"
    BAD_SIGNATURE = "bad_signature"
    REPLAYED_NONCE = "replayed_nonce"
    # --- file import -------------------------------------------------------------------
    EMPTY_FILE = "empty_file"
    FILE_TOO_LARGE = "file_too_large"
    TOO_MANY_ROWS = "too_many_rows"
    BAD_ENCODING = "bad_encoding"
    UNSUPPORTED_FORMAT = "unsupported_format"
    UNREADABLE_FILE = "unreadable_file"
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    NOT_A_NUMBER = "not_a_number"


@dataclass(frozen=True, slots=True)
class Reason:
    """The description of one reason code.

    Attributes
    ----------
    rejects : Rejects
        Whether the code rejects a message, a record, a signature or (part of) a file.
    en, zh : str
        A short message in English and in Chinese; callers add the specifics.
    """

    rejects: Rejects
    en: str
    zh: str


_M, _R, _S, _F = Rejects.MESSAGE, Rejects.RECORD, Rejects.SIGNATURE, Rejects.FILE
C = ReasonCode

REASONS: dict[ReasonCode, Reason] = {
    C.BODY_TOO_LARGE: Reason(_M, "the message body exceeds the size limit", "报文超过大小上限"),
    C.MALFORMED_JSON: Reason(_M, "the body is not valid UTF-8 JSON", "报文不是合法的 UTF-8 JSON"),
    C.JSON_TOO_DEEP: Reason(
        _M, "the JSON nests too deeply (at most 32 levels)", "JSON 嵌套层数过多（最多 32 层）"
    ),
    C.DUPLICATE_KEY: Reason(_M, "a JSON object has the same key twice", "JSON 对象中存在重复的键"),
    C.WRONG_TYPE: Reason(_M, "a field has the wrong JSON type", "字段的 JSON 类型错误"),
    C.NOT_FINITE: Reason(
        _M, "numbers must be finite (no NaN or Infinity)", "数值必须有限（不得为 NaN 或 Infinity）"
    ),
    C.MISSING_FIELD: Reason(_M, "a required field is missing", "缺少必填字段"),
    C.UNEXPECTED_FIELD: Reason(_M, "the field is not part of the protocol", "协议中没有该字段"),
    C.INVALID_VALUE: Reason(_M, "the field's value is not allowed", "字段取值不合法"),
    C.UNKNOWN_PROTOCOL: Reason(
        _M, "unknown protocol version (expected nenghao-uplink/1)", "未知的协议版本"
    ),
    C.INVALID_CREDIT_CODE: Reason(
        _M, "not a valid unified social credit code", "统一社会信用代码不合法"
    ),
    C.INVALID_DATETIME: Reason(
        _M, "not an RFC 3339 date-time with seconds and offset", "不是合法的 RFC 3339 时间"
    ),
    C.NAIVE_DATETIME: Reason(_M, "the date-time has no UTC offset", "时间缺少时区偏移"),
    C.MISALIGNED_START: Reason(
        _M,
        "start is not the start of a statistic period in China Standard Time",
        "起始时间不是北京时间统计周期的起点",
    ),
    C.NO_VALUE: Reason(
        _M, "a record needs a value or a register", "记录必须包含 value 或 register"
    ),
    C.NEGATIVE_REGISTER: Reason(
        _M, "a cumulative register reading cannot be negative", "累计读数不能为负"
    ),
    C.INVALID_REGISTER_EVENT: Reason(
        _M, "the register event is incomplete or inconsistent", "表计事件不完整或不一致"
    ),
    C.NO_RECORDS: Reason(_M, "the message has no records", "报文中没有记录"),
    C.TOO_MANY_RECORDS: Reason(_M, "the message has too many records", "报文中的记录过多"),
    C.DUPLICATE_RECORD: Reason(
        _M,
        "the same item, period and start occur twice in the message",
        "同一数据项、周期和起始时间在报文中重复出现",
    ),
    C.DEVICE_MISMATCH: Reason(
        _M, "device_id differs from the key that signed the message", "device_id 与签名密钥不一致"
    ),
    C.ENTERPRISE_MISMATCH: Reason(
        _M,
        "the signing key (or MQTT topic) belongs to another enterprise",
        "签名密钥（或 MQTT 主题）属于其他单位",
    ),
    C.UNKNOWN_ITEM: Reason(
        _R, "the item is not registered for this enterprise", "该数据项未在本单位登记"
    ),
    C.ITEM_NOT_APPROVED: Reason(
        _R,
        "the item is not yet approved in the enterprise's collection plan",
        "数据项未经采集方案审核通过",
    ),
    C.PERIOD_MISMATCH: Reason(
        _R, "the period differs from the item's registered period", "统计周期与登记的不一致"
    ),
    C.UNIT_MISMATCH: Reason(
        _R, "the unit is unknown or not convertible to the item's unit", "计量单位未知或不可换算"
    ),
    C.VALUE_REQUIRED: Reason(
        _R, "the item is an interval item; value is required", "该数据项为区间值，必须提供 value"
    ),
    C.REGISTER_REQUIRED: Reason(
        _R,
        "the item is a register item; register is required",
        "该数据项为累计值，必须提供 register",
    ),
    C.VALUE_NOT_ALLOWED: Reason(
        _R,
        "the item is a register item; intervals are derived, do not send value",
        "该数据项为累计值，区间值由平台计算，不得提供 value",
    ),
    C.FUTURE_PERIOD: Reason(_R, "the period lies in the future", "统计周期尚未开始或尚未结束"),
    C.NEGATIVE_VALUE: Reason(_R, "the item does not allow negative values", "该数据项不允许负值"),
    C.VALUE_TOO_LARGE: Reason(_R, "the value exceeds its plausibility bound", "数值超出合理上限"),
    C.REGISTER_BACKWARDS: Reason(
        _R,
        "the register went backwards without a replacement or reset event",
        "累计读数倒退且没有换表或清零事件",
    ),
    C.REGISTER_OUT_OF_RANGE: Reason(
        _R, "the register reading exceeds the meter's maximum", "累计读数超过表计量程"
    ),
    C.RESET_UNBRIDGED: Reason(
        _R,
        "the register was reset without a final reading; the span is not derived",
        "表计清零但缺少清零前读数，该区间无法计算",
    ),
    C.REPLACEMENT_SUSPECTED: Reason(
        _R,
        "the register dropped by more than the item can consume in the span: a suspected"
        " meter replacement without its event, not a rollover",
        "累计读数下降，按翻转计算的用量超过该数据项在此期间的最大可能用量：疑似换表未上报事件",
    ),
    C.NOT_MANUAL_ITEM: Reason(
        _R,
        "the item is collected online; only manual or monthly items are filed by hand",
        "该数据项为在线采集项，只有人工填报项或月度数据项可以手工填报",
    ),
    C.OLDER_THAN_STORED: Reason(
        _R,
        "a value for this period received later stays current; this one is kept in the history",
        "该时段已有更晚接收的值，保持为当前值；本值记入历史版本",
    ),
    C.MISSING_SIGNATURE_FIELD: Reason(_S, "a signature field is missing", "缺少签名字段"),
    C.MALFORMED_SIGNATURE_FIELD: Reason(_S, "a signature field is malformed", "签名字段格式错误"),
    C.MALFORMED_ENVELOPE: Reason(_S, "the MQTT envelope is malformed", "MQTT 封装格式错误"),
    C.UNKNOWN_KEY: Reason(_S, "the key id is unknown or disabled", "密钥标识未知或已停用"),
    C.STALE_TIMESTAMP: Reason(
        _S,
        "the timestamp is more than 300 s from the server clock",
        "时间戳与服务器时间相差超过 300 秒",
    ),
    C.BAD_SIGNATURE: Reason(_S, "the signature does not match", "签名不匹配"),
    C.REPLAYED_NONCE: Reason(_S, "the nonce was already used", "随机数已被使用（重放）"),
    C.EMPTY_FILE: Reason(_F, "the file is empty or has no data rows", "文件为空或没有数据行"),
    C.FILE_TOO_LARGE: Reason(_F, "the file exceeds the size limit", "文件超过大小上限"),
    C.TOO_MANY_ROWS: Reason(
        _F, "the file has too many data rows; split it", "文件的数据行过多，请拆分"
    ),
    C.BAD_ENCODING: Reason(
        _F,
        "the text is neither UTF-8 nor GB18030; save the file as CSV UTF-8",
        "文件编码既不是 UTF-8 也不是 GB18030，请另存为 CSV UTF-8",
    ),
    C.UNSUPPORTED_FORMAT: Reason(
        _F, "the file is not CSV or XLSX", "不支持的文件格式（请使用 CSV 或 XLSX）"
    ),
    C.UNREADABLE_FILE: Reason(
        _F,
        "the file cannot be read (CSV syntax, or a damaged or unsafe workbook)",
        "文件无法读取（CSV 语法错误，或工作簿损坏、不安全）",
    ),
    C.MISSING_COLUMN: Reason(_F, "a required column is missing", "缺少必填列"),
    C.UNKNOWN_COLUMN: Reason(_F, "the column is not part of the file format", "文件格式中没有该列"),
    C.DUPLICATE_COLUMN: Reason(_F, "the same column appears twice", "同一列出现了两次"),
    C.NOT_A_NUMBER: Reason(_F, "the cell is not a number", "单元格不是数值"),
}
del C


def reason(code: ReasonCode) -> Reason:
    """What `code` rejects, and its short messages."""
    return REASONS[code]


class Retry(StrEnum):
    """What a device does with a message or record answered with a code (appendix C)."""

    FIX = "fix"
    """Resent unchanged it gets the same answer: correct the message, the device software or
    the registration first (a record quarantined for its registration is re-processed by the
    platform once that is fixed; it need not be resent)."""
    NEW = "new"
    """Resend the same content at once with a new timestamp and nonce (after setting the
    device clock, for ``stale_timestamp``); stored records come back ``duplicate``."""
    WAIT = "wait"
    """Resend the same content later (new timestamp and nonce): after ``Retry-After`` or
    ``retry_after_s``, or once the period has ended (``future_period``)."""
    DONE = "done"
    """Not a refusal: the record was taken; nothing to resend."""


RETRY: dict[ReasonCode, Retry] = {
    **dict.fromkeys(ReasonCode, Retry.FIX),
    ReasonCode.FUTURE_PERIOD: Retry.WAIT,
    ReasonCode.STALE_TIMESTAMP: Retry.NEW,
    ReasonCode.REPLAYED_NONCE: Retry.NEW,
    ReasonCode.RESET_UNBRIDGED: Retry.DONE,
    ReasonCode.OLDER_THAN_STORED: Retry.DONE,
}
"""Whether to resend, by reason code (documented in appendix C, checked by a test)."""


def retry(code: ReasonCode) -> Retry:
    """What a device does with a message or record answered `code`."""
    return RETRY[code]
