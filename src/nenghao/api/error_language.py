"""The language of error messages: Chinese when the request's ``Accept-Language`` prefers it.

The error shape and its ``code`` never change with the language; only ``message`` (and the
``message`` of each field problem of a 422 ``validation_error``) is Chinese for a client that
prefers ``zh``. Every code the API answers has a Chinese message here (the uplink reason codes
have theirs in `nenghao.standards.reason_codes`); `tests/api/test_error_language.py` fails on
a code without one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nenghao.standards.reason_codes import REASONS, ReasonCode

ZH: dict[str, str] = {
    # answers of HTTP itself (api.errors.STATUS_CODES)
    "bad_request": "请求有误",
    "not_authenticated": "未登录或登录已失效，请重新登录",
    "forbidden": "当前角色无权执行此操作",
    "not_found": "对象不存在，或不在您的数据范围内",
    "method_not_allowed": "该地址不支持此请求方法",
    "body_timeout": "请求内容未能按时送达，请重新提交",
    "conflict": "与已保存的数据冲突（重复或引用的对象不存在）",
    "payload_too_large": "请求内容超过大小上限",
    "unsupported_media_type": "不支持的内容类型",
    "validation_error": "请求参数有误",
    "too_many_requests": "同时进行的请求过多，请稍候再试",
    "internal_error": "系统内部错误，已记录日志；请重试或联系运维人员",
    "service_unavailable": "服务暂时不可用，请稍后再试",
    "database_unavailable": "数据库暂时无法处理该请求，未做任何更改，请稍后再试",
    "request_timeout": "请求未能按时处理完成（数据库可能暂不可用），请稍后再试",
    "invalid_value": "数值超出数据库可保存的范围或格式",
    "web_not_built": "网页尚未构建，请联系运维人员",
    "json_too_deep": "JSON 嵌套层数过多",
    "csrf_failed": "页面安全校验失败，请刷新页面后重试",
    # accounts and sessions
    "invalid_credentials": "用户名或密码错误",
    "wrong_password": "原密码不正确",
    "too_many_attempts": "登录失败次数过多，请稍后再试",
    "invalid_token": "登录凭证无效，请重新登录",
    "token_revoked": "登录凭证已注销，请重新登录",
    "token_expired": "登录已过期，请重新登录",
    "account_inactive": "该账号已停用",
    "weak_password": "密码强度不足",
    "invalid_role": "未知的角色",
    "scope_required": "该角色必须指定所属单位或区县",
    "scope_not_applicable": "该角色不能指定所属单位或区县",
    "unknown_enterprise": "所选单位不存在",
    "invalid_username": "用户名格式不正确",
    "duplicate_username": "用户名已存在",
    "last_admin": "这是最后一个启用的管理员，请先创建另一个管理员",
    "user_not_found": "用户不存在",
    # enterprises, scope and reference data
    "invalid_input": "输入有误或引用了不存在的对象",
    "outside_scope": "该操作超出了您的数据范围",
    "enterprise_not_found": "单位不存在，或不在您的数据范围内",
    "invalid_division": "区县代码格式不正确",
    "unknown_division": "区县不存在",
    "invalid_industry": "行业代码格式不正确",
    "unknown_industry": "行业不存在",
    "duplicate_credit_code": "该统一社会信用代码已登记",
    "invalid_credit_code": "统一社会信用代码不正确",
    "device_not_found": "设备密钥不存在或已停用",
    # device status and fault reports (故障报备)
    "enterprise_inactive": "该单位已停用，无设备状态",
    "unknown_fault_cause": "故障原因不在列表中（通信中断、采集设备故障、计量器具故障、停产检修、"
    "其他）",
    "fault_start_in_future": "故障开始时间不能晚于现在",
    "fault_repair_before_start": "预计修复日期不能早于故障开始日期",
    "fault_cause_text_missing": "故障原因为“其他”时，请填写原因说明",
    "fault_unknown_key": "所选设备密钥不属于本单位",
    "fault_not_found": "故障报备不存在，或不在您的数据范围内",
    "fault_closed": "该故障报备已标记为修复",
    "equal_value_out_of_range": "当量值折标系数超出合理范围",
    # statistics, targets, reports
    "invalid_period": "统计期格式不正确（年 YYYY、月 YYYY-MM、日 YYYY-MM-DD）",
    "invalid_statistics_request": "统计查询条件有误",
    "range_too_large": "查询的时间范围过大，请缩小范围",
    "subject_not_found": "统计对象不存在，或不在您的数据范围内",
    "invalid_subject": "目标对象不正确",
    "target_not_found": "该年度的目标不存在",
    # data items (store.items, store.item_rules)
    "item_not_found": "该数据项不存在",
    "duplicate_item_code": "该企业已有相同编码的数据项",
    "item_code_scheme": "数据项编码不符合编码规则",
    "item_inactive": "该数据项已停用",
    "item_has_readings": (
        "该数据项已有数据，不能修改决定数据含义的属性；请停用后自变更日起新建数据项"
    ),
    "effective_date_in_future": "生效日期不能晚于今天",
    "effective_date_before_version": "生效日期不能早于现行版本的生效日期",
    "report_font_missing": "缺少生成 PDF 报表所需的中文字体，请联系运维人员",
    # units and conversion (app.error_codes.DOMAIN_ERRORS)
    "unit_dimension_mismatch": "计量单位的量纲不一致，无法换算",
    "unknown_unit": "未知的计量单位",
    "invalid_quantity": "数量不正确（须为有限数值）",
    "missing_year": "缺少年份，无法确定适用的系数",
    "invalid_heating_value": "低位发热量不正确",
    "missing_factor": "缺少折标系数或排放因子",
    "unit_error": "计量单位有误",
    "unknown_energy_kind": "未知的能源品种",
    "no_factor": "该能源品种没有可用的系数",
    "unknown_key": "未知的标识",
    # quarantine, quality, alerts
    "quarantine_not_found": "隔离记录不存在，或不在您的数据范围内",
    "quarantine_closed": "该隔离记录已处理",
    "unknown_rule": "未知的规则",
    "alert_not_found": "告警不存在，或不在您的数据范围内",
    "alert_regulator_only": "只有监管人员可以执行此告警操作",
    "alert_state": "告警当前状态不允许此操作",
    "invalid_rule_setting": "规则设置不正确",
    "invalid_target": "通知地址不正确（网络回调须为 http(s) 地址，邮件须为逗号分隔的邮箱地址）",
    "channel_exists": "同名通知渠道已存在",
    "channel_not_found": "通知渠道不存在",
    # uplink service
    "rate_limited": "上报过于频繁，请稍后再试",
    "storage_unavailable": "存储暂时不可用，未保存任何数据，请稍后重发",
    "storage_degraded": "存储处于降级状态",
}
"""The Chinese message of each error code (the uplink reason codes: see `chinese`)."""


def prefers_chinese(accept_language: str | None) -> bool:
    """Whether an ``Accept-Language`` header ranks Chinese above every other language."""
    best, best_q = "", 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > best_q:
            best, best_q = tag.strip().lower(), q
    return best == "zh" or best.startswith("zh-")


def chinese(code: str) -> str | None:
    """The Chinese message of `code`, or None for a code without one."""
    if code in ZH:
        return ZH[code]
    try:
        return REASONS[ReasonCode(code)].zh
    except ValueError:
        return None


def message_for(code: str, english: str, accept_language: str | None) -> str:
    """The message to answer: Chinese when the client prefers it and the code has one."""
    if prefers_chinese(accept_language):
        return chinese(code) or english
    return english


def header_of(headers: Mapping[str, str] | list[tuple[bytes, bytes]]) -> str | None:
    """The ``Accept-Language`` of request headers (a mapping, or ASGI header pairs)."""
    if isinstance(headers, Mapping):
        return headers.get("accept-language")
    for name, value in headers:
        if name.lower() == b"accept-language":
            return value.decode("latin-1")
    return None


_WHERE = {"query": "查询参数", "path": "路径参数", "body": "请求内容", "header": "请求头"}
_FIELD_PROBLEMS: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "finite_number": "应为有限数值",
    "bool_parsing": "应为是/否（true/false）",
    "bool_type": "应为是/否（true/false）",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为日期时间",
    "json_invalid": "不是合法的 JSON",
    "string_pattern_mismatch": "格式不正确",
    "url_parsing": "应为网址",
    "value_error": "取值不正确",
    "assertion_error": "取值不正确",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "string_too_short": "长度应不少于 {min_length} 个字符",
    "string_too_long": "长度应不超过 {max_length} 个字符",
    "too_short": "至少应有 {min_length} 项",
    "too_long": "至多应有 {max_length} 项",
}


def field_location(loc: tuple[Any, ...]) -> str:
    """Where a field problem is, in Chinese: ``查询参数 page_size``, ``请求内容 lines[0].value``."""
    parts = list(loc)
    where = _WHERE.get(str(parts.pop(0)), "") if parts and parts[0] in _WHERE else ""
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return " ".join(p for p in (where, path) if p) or "请求"


def field_problem(error: Mapping[str, Any]) -> str:
    """What is wrong with one field, in Chinese, from the validator's error type and bounds."""
    template = _FIELD_PROBLEMS.get(str(error.get("type")), "取值不正确")
    context = {
        key: str(value).replace(" or ", "、") for key, value in (error.get("ctx") or {}).items()
    }
    try:
        return template.format(**context)
    except (KeyError, IndexError):  # a rule without its bound: say the rule alone
        return template.split("：")[0].split(" {")[0]
