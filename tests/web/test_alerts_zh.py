"""The alerts page in zh-CN speaks Chinese and names what it shows: each rule by its Chinese
name (in the table, the detail and the rule filter), each enterprise by its name, never a rule
code, an enterprise number ("#27") or an English title. Alerts of every kind the monitor
raises (a quality event, a quota above its limit, a target warning) are written by the
monitor's own writers into the served database; Latin words are allowed only for units and
standard numbers."""

from __future__ import annotations

import re

from nenghao.monitor.alerting import RULES

from .web_helpers import Server, login, ready, settle, shoot

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*")
ALLOWED = {"kWh", "kgce", "tce", "t", "h", "GB", "T", "kV", "MWh", "GJ", "m3", "m", "Nm3"}
"""Units and standard numbers (GB/T ...) that stay Latin in Chinese text."""
CODE = re.compile(r"#\d+")


def _raise_alerts(server: Server, enterprise_id: int) -> list[int]:
    """A quality, a quota and a target alert about `enterprise_id`, written as the monitor
    writes them; their ids."""
    from sqlalchemy import select

    from nenghao.app.monitoring import _quota_candidate, _target_candidate
    from nenghao.monitor.alerting import from_events
    from nenghao.store import alerts
    from nenghao.store.common import now
    from nenghao.store.engine import make_engine
    from nenghao.store.schema import data_items, enterprises

    engine = make_engine(f"sqlite:///{(server.data_dir / 'nenghao.db').resolve()}")
    try:
        with engine.begin() as conn:
            name, division = conn.execute(
                select(enterprises.c.name, enterprises.c.division_code).where(
                    enterprises.c.id == enterprise_id
                )
            ).one()
            item = conn.execute(
                select(data_items.c.id).where(data_items.c.enterprise_id == enterprise_id)
            ).scalar()
            event = {
                "rule": "spike",
                "subject": f"item:{item}:zh-test",
                "message": "数据突变 / spike",
                "severity": "warning",
                "enterprise_id": enterprise_id,
                "item_id": item,
                "start": 0,
                "end": 3600,
                "period": "hour",
            }
            quota = {
                "level": "above_limit",
                "thresholds": {"L3": 52},
                "status": "confirmed",
                "edition": "GB 21256-2025",
                "local": False,
            }
            row = {"item_id": item, "product_name": "烧结矿", "unit_consumption": 97.14}
            target = {"id": 9_999, "year": 2026, "level": "enterprise", "subject": "x"}
            target["enterprise_id"], target["division_code"] = enterprise_id, division
            answer = {
                "as_of": "2026-08-31",
                "indicators": {"total_energy_tce": {"level": "red", "ratio": 1.2}},
            }
            candidates = [
                *from_events(conn, [event]),
                _quota_candidate(
                    {"enterprise_name": name},
                    {**row, "quota": quota},
                    "2026-08",
                    (
                        enterprise_id,
                        division,
                    ),
                ),
                _target_candidate(target, answer, "red", name),
            ]
            return [alerts.raise_alert(conn, c.values(), now())[0]["id"] for c in candidates]
    finally:
        engine.dispose()


def _foreign(text: str) -> list[str]:
    """Latin words outside the allow-list, rule codes and '#<id>' references in `text`."""
    words = [w for w in LATIN.findall(text) if w not in ALLOWED]
    return words + CODE.findall(text)


def test_alerts_page_is_chinese_with_names(page, server: Server) -> None:
    listed = server.api("regulator", "/enterprises", page_size=1)["items"][0]
    ids = _raise_alerts(server, listed["id"])
    login(page, server, "regulator")
    page.goto(f"/alerts?status=active&enterprise={listed['id']}")
    ready(page, "alerts")
    settle(page)
    table = page.get_by_test_id("alerts-table")
    for alert_id in ids:
        row = table.locator("tr.el-table__row").filter(has=page.locator(f"[data-id='{alert_id}']"))
        row.wait_for()
        assert row.locator("[data-col=enterprise]").inner_text() == listed["name"]
    body = table.locator(".el-table__body-wrapper").inner_text()
    header = table.locator(".el-table__header-wrapper").inner_text()
    assert _foreign(body + header) == [], body
    shoot(page, "alerts-zh")

    page.locator("#a-rule").click()
    options = page.locator(".el-select-dropdown__item:visible")
    options.first.wait_for()
    labels = options.all_inner_texts()
    assert len(labels) == len(RULES)  # every rule of the monitor, none twice
    assert len(set(labels)) == len(RULES)
    assert _foreign(" ".join(labels)) == [], labels
    assert "超限额" in labels
    assert "目标预警" in labels
    page.keyboard.press("Escape")

    row = table.locator("tr.el-table__row").filter(has=page.locator(f"[data-id='{ids[1]}']"))
    row.get_by_test_id("view").click()
    detail = page.get_by_test_id("alert-detail")
    detail.get_by_test_id("detail-status").wait_for()
    settle(page)
    assert detail.get_by_test_id("detail-enterprise").inner_text() == listed["name"]
    text = detail.locator(".el-descriptions").inner_text()
    # the message keeps a short English tail after " / " for other readers
    chinese = "\n".join(line.split(" / ")[0] for line in text.splitlines())
    assert _foreign(chinese) == [], text
    assert "超限额" in text
    shoot(page, "alert-detail-zh")
