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
    "invalid_phone": "电话号码不正确（手机号为 1 开头的 11 位数字，固定电话须带区号）",
    "invalid_email": "电子邮箱地址不正确",
    "invalid_certificate_number": "能源管理负责人证书编号格式不正确",
    "invalid_contact": "能源管理负责人或联系人信息有误",
    "device_not_found": "设备密钥不存在或已停用",
    # the federation of platforms (上报与下级平台)
    "member_not_found": "下级平台不存在",
    "federation_outside_divisions": "该企业不在此下级平台负责的行政区划内，本批数据未被接收",
    "federation_unknown_enterprise": "该企业尚未在本平台登记（应先转发其登记信息）",
    "federation_unknown_item": "该企业在本平台没有此采集数据项（应先转发数据项）",
    "federation_bad_entry": "转发条目的内容格式不正确",
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
    # the collection plan (store.plans)
    "plan_empty": "采集方案中没有启用的数据项，请先登记数据项再提交",
    "plan_already_submitted": "采集方案已提交，正在审核中，审核完成前不能再次提交",
    "plan_not_submitted": "采集方案没有待审核的版本",
    "plan_comment_required": "退回采集方案时必须填写审核意见",
    "plan_version_not_found": "采集方案版本不存在",
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
    # energy-saving review of projects (review.assessment)
    "existing_consumption_required": "改建项目须填报改建前的年能源消费量（按增量计算）",
    # existing two-high installations (存量两高项目) and their rectification plans
    "installation_not_found": "两高装置不存在，或不在您的数据范围内",
    "unknown_two_high_sector": "所选行业不在两高行业目录中",
    "unknown_quota_product": "所选产品不在单位产品能耗限额目录中",
    "installation_item_mismatch": "所选数据项不是本单位该产品的产量数据项",
    "installation_capacity_unit": "产能与产能单位须同时填写",
    "duplicate_installation": "本单位已登记同名装置",
    "installation_has_plans": "该装置已有整改方案，不能删除；如已关停请将其状态改为“已关停”",
    "installation_closed": "该装置已关停，不再制定整改方案",
    "rectification_plan_not_found": "整改方案不存在，或不在您的数据范围内",
    "rectification_plan_exists": "该装置已有未完成的整改方案",
    "rectification_target_required": "该装置的产品无基准值，请填写整改目标值（kgce/t）",
    "rectification_deadline_past": "整改期限不能早于今天",
    "rectification_plan_version_conflict": "整改方案已被他人修改，请刷新后重试",
    "rectification_plan_completed": "整改方案已确认完成，不能再修改",
    "rectification_target_not_met": "最近 3 个完整月的单位产品能耗尚未达到整改目标，不能确认完成",
    # the project register and its review (docs/projects.md)
    # the carbon-peak pathway (docs/pathway.md)
    "invalid_pathway_input": "碳达峰路径的情景、假设或措施数据有误",
    "lmdi_invalid_input": "LMDI 分解的输入有误：方法要求正值（零值按文档所述的极限方法处理）",
    "scenario_not_found": "情景不存在",
    "duplicate_scenario": "已有同名情景",
    "scenario_in_use": "该基准情景仍被政策情景引用，请先删除这些政策情景",
    "pathway_assumption_not_found": "增长假设不存在",
    "pathway_measure_not_found": "措施不存在",
    "project_not_found": "项目不存在，或不在您的数据范围内",
    "project_not_draft": "只有草稿状态的项目可以修改",
    "project_version_conflict": "项目已被他人修改，请刷新后重试",
    "project_transition_not_allowed": "项目当前状态不允许该操作",
    "project_action_forbidden": "您无权对该项目执行此操作（审查层级或区域不符）",
    "project_step_incomplete": "该操作缺少必填内容",
    "project_document_missing": "提交前须上传所需文件（节能报告或承诺书）",
    # after commissioning (docs/commissioning.md)
    "project_not_commissionable": "只有审查通过或已备案的项目才能投产、关联数据项和对比能耗",
    "project_applicant_unregistered": "项目申报单位尚未登记为用能单位，无法关联数据项",
    "project_item_not_linkable": (
        "所选数据项不能关联到该项目（须为申报单位已批准的能源或产品数据项）"
    ),
    "expert_opinions_missing": "专家意见份数不足，不能审查通过",
    "invalid_project": "项目数据有误",
    "invalid_applicant": "申报单位应为已登记单位，或填写新单位名称和统一社会信用代码",
    "applicant_registered": "该统一社会信用代码的单位已登记，请选择已登记单位",
    "document_not_found": "文件不存在，或不在您的范围内",
    # retrofit projects and their M&V (docs/mv.md)
    "retrofit_not_found": "节能改造项目不存在，或不在您的数据范围内",
    "duplicate_retrofit": "本单位已登记同名节能改造项目",
    "retrofit_periods_overlap": "基准期、实施期与报告期不能重叠",
    "reporting_before_installation_end": "报告期须在实施期结束之后开始",
    "baseline_too_short": "基准期数据不足以建立基准模型（月度模型至少 12 个月）",
    "retrofit_item_mismatch": "所选数据项不是本单位相应类型的数据项",
    "invalid_retrofit_variable": "自变量须有名称，并选择数据项或填写逐月数值（二者选一）",
    "variable_without_data": "自变量在该时期没有数据",
    "variable_lengths_differ": "能耗与自变量序列长度不一致",
    "baseline_energy_not_positive": "基准期能耗不为正，无法建立基准模型",
    "baseline_without_data": "基准期内项目的能源数据项没有数据",
    "reporting_without_data": "报告期内项目的能源数据项没有数据",
    "adjustment_outside_reporting": "非常规调整的月份须在报告期内",
    # monthly and annual filings (docs/filing.md)
    "period_not_ended": "统计期尚未结束，结束后方可填报",
    "period_before_register": "统计期早于企业登记年份的上一年，不能填报",
    "revision_reason_required": "该统计期已有填报数据，修改须填写修改原因",
    "duplicate_line": "填报内容中有重复的行",
    "filing_period_mismatch": "该项的统计周期与填报周期不符",
    "filing_not_found": "该统计期尚无填报",
    "no_factor": "该能源品种没有可用的系数",
    "unknown_key": "未知的标识",
    # quarantine, quality, alerts
    "quarantine_not_found": "隔离记录不存在，或不在您的数据范围内",
    "quarantine_closed": "该隔离记录已处理",
    "unknown_rule": "未知的规则",
    "alert_not_found": "告警不存在，或不在您的数据范围内",
    "alert_regulator_only": "只有监管人员可以执行此告警操作",
    "alert_state": "告警当前状态不允许此操作",
    # notices (通知公告)
    "notice_not_found": "通知不存在，或不在您的范围内",
    "attachment_not_found": "附件不存在，或不在您的范围内",
    "attachment_too_large": "附件超过大小上限",
    "attachment_type_forbidden": "附件类型不允许；只接受 PDF、Word、Excel、PNG 和 JPEG 文件",
    "attachment_type_mismatch": "附件的扩展名与文件内容不符",
    "attachment_empty": "附件是空文件",
    "too_many_attachments": "附件数量超过上限",
    "invalid_audience": "通知对象有误",
    "empty_audience": "所选通知对象下没有在册的单位",
    "invalid_notice_dates": "失效时间须晚于发布时间",
    "invalid_rule_setting": "规则设置不正确",
    "invalid_target": "通知地址不正确（网络回调须为 http(s) 地址，邮件须为逗号分隔的邮箱地址）",
    "channel_exists": "同名通知渠道已存在",
    "channel_not_found": "通知渠道不存在",
    # uplink service
    "rate_limited": "上报过于频繁，请稍后再试",
    "storage_unavailable": "存储暂时不可用，未保存任何数据，请稍后重发",
    "storage_degraded": "存储处于降级状态",
    "redis_unavailable": "多节点共享的 Redis 无法连接，暂时无法接收上报数据",
    # the annual energy-utilisation report
    "year_not_ended": "该年度尚未结束，年度结束后方可填报年度报告",
    "annual_report_not_found": "该单位尚未打开该年度的能源利用状况报告",
    "report_not_editable": "报告已报送或已审核通过，不能修改或重复报送",
    "report_incomplete": "报告必填内容尚未填写完整",
    "report_changed": "报告已被他人修改，请刷新后重试",
    "report_not_submitted": "报告尚未报送，无法审核",
    "comment_required": "退回报告须填写退回意见",
    "report_not_accepted": "报告尚未审核通过，暂不能生成 PDF",
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
