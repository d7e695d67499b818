"""After commissioning: annualisation, deviation, certainty and the alert, from worked
examples computed by hand (intermediate values written out)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from operating_project import operating, put_days
from project_support import cast
from sqlalchemy import select

from nenghao.analytics.items import SelectedItem
from nenghao.app.project_deviation import project_source
from nenghao.monitor.service import Monitor
from nenghao.review import commissioning
from nenghao.review.deviation import MonthData, annualise, deviation, is_over
from nenghao.review.operation import figures, first_month, operation
from nenghao.store.common import ConflictError, InvalidInputError, NotFoundError
from nenghao.store.rollups import rebuild
from nenghao.store.schema import alerts, audit_log
from nenghao.store.scope import Scope

LIMIT = 0.10


def _month(year: int, month: int, days: int, tce: float, **extra) -> MonthData:
    full = {"covered_item_days": float(days), "item_days": float(days)}
    return MonthData(date(year, month, 1), days, tce, tce, 0.0, **{**full, **extra})


def test_two_months_are_scaled_to_the_year_ending_with_them():
    # Jan 2025 (31 d) 310 tce + Feb 2025 (28 d) 280 tce = 590 tce over 59 days;
    # the year 2024-03-01 .. 2025-02-28 has 365 days: 590 x 365 / 59 = 3 650 tce
    span = annualise([_month(2025, 1, 31, 310.0), _month(2025, 2, 28, 280.0)])
    assert span.partial
    assert span.year_days == 365
    assert span.days == 59
    assert span.scale == pytest.approx(365 / 59)
    assert span.total("equivalent_tce") == pytest.approx(3650.0)
    assert span.basis_zh.startswith("按 2 个月折算")


def test_a_leap_year_counts_366_days():
    # Feb 2024 (29 d) 290 tce; the year 2023-03-01 .. 2024-02-29 has 366 days:
    # 290 x 366 / 29 = 3 660 tce
    span = annualise([_month(2024, 2, 29, 290.0)])
    assert span.year_days == 366
    assert span.total("equivalent_tce") == pytest.approx(3660.0)


def test_twelve_months_are_the_trailing_twelve_unscaled():
    # Nov 2024 .. Dec 2025 (14 months): the trailing 12 are Jan .. Dec 2025, 10 tce a day:
    # 365 days x 10 = 3 650 tce, scale 1
    lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    months = [_month(2024, 11, 30, 999.0), _month(2024, 12, 31, 999.0)]
    months += [_month(2025, m + 1, d, 10.0 * d) for m, d in enumerate(lengths)]
    span = annualise(months)
    assert not span.partial
    assert span.scale == 1.0
    assert len(span.used) == 12
    assert span.used[0].start == date(2025, 1, 1)
    assert span.total("equivalent_tce") == pytest.approx(3650.0)
    assert span.basis_zh == "近 12 个完整月合计"


def test_9_9_percent_does_not_alert_and_10_1_percent_does():
    assert deviation(1099.0, 1000.0) == pytest.approx(0.099)
    assert not is_over(deviation(1099.0, 1000.0), LIMIT)
    assert deviation(1101.0, 1000.0) == pytest.approx(0.101)
    assert is_over(deviation(1101.0, 1000.0), LIMIT)
    assert deviation(1200.0, 1000.0) == pytest.approx(0.20)  # 20 % over
    assert deviation(5.0, 0.0) is None
    assert deviation(None, 1.0) is None


def _product(item_id: int = 7) -> SelectedItem:
    return SelectedItem(
        item_id,
        1,
        "210302",
        "2641",
        "product",
        "production",
        None,
        None,
        "t",
        "line",
        False,
        None,
        None,
        "day",
        "P.OUT",
        "涂料",
    )


def test_unit_product_consumption_against_the_planned_value():
    # 590 tce over Jan+Feb and 16 000 t of output: 590 000 kgce / 16 000 t = 36.875 kgce/t;
    # planned 30 kgce/t: 36.875 / 30 - 1 = +22.9 %; with 20 000 t: 29.5 kgce/t, -1.67 %
    approved = {
        "equivalent_tce": 3650.0,
        "equal_tce": 3650.0,
        "co2_t": 1.0,
        "products": [
            {"product": None, "name": "涂料", "unit": "t", "planned_unit_consumption": 30.0}
        ],
    }
    for output, expected, over in ((8000.0, 36.875, True), (10000.0, 29.5, False)):
        span = annualise(
            [
                _month(2025, 1, 31, 310.0, outputs=(output,)),
                _month(2025, 2, 28, 280.0, outputs=(output,)),
            ]
        )
        unit = figures(span, approved, [_product()], LIMIT)[-1]
        assert unit["key"] == "unit:7"
        assert unit["unit"] == "kgce/t"
        assert unit["actual"] == pytest.approx(expected)
        assert unit["deviation"] == pytest.approx(expected / 30.0 - 1)
        assert unit["over"] is over


def test_severity_follows_the_certainty_of_the_base():
    full = [_month(2025, m, 28, 280.0) for m in (1, 2, 3)]
    assert not annualise(full[:2]).certain  # fewer than 3 months: a warning at most
    assert annualise(full).certain  # 3 complete months: may be critical
    gap = _month(2025, 3, 28, 280.0, covered_item_days=27.0)  # one item-day missing
    assert not annualise([*full[:2], gap]).certain


def test_first_month_is_the_first_whole_month():
    assert first_month(date(2025, 1, 1)) == date(2025, 1, 1)
    assert first_month(date(2025, 1, 2)) == date(2025, 2, 1)
    assert first_month(date(2025, 12, 15)) == date(2026, 1, 1)


@pytest.fixture
def people(engine):
    with engine.begin() as conn:
        return cast(conn)


def test_operation_of_a_project_running_20_percent_over(engine, people):
    with engine.begin() as conn:
        pid, items = operating(conn, people)
        answer = operation(conn, Scope.all(), pid, as_of=date(2025, 3, 1))
    compared = answer["comparison"]
    assert answer["state"] == "compared"
    assert answer["enterprise_name"]
    assert compared["months_used"] == 2
    assert compared["partial"]
    assert compared["severity"] == "warning"  # only 2 months
    by_key = {f["key"]: f for f in compared["figures"]}
    # a day: 7 t x 0.7143 = 5.0001 tce of coal + 1 000 kWh x 0.1229 kgce/kWh = 0.1229 tce
    # = 5.1230 tce; 59 days scaled to 365: 5.1230 x 365 = 1 869.895 tce
    equivalent = by_key["equivalent_tce"]
    assert equivalent["approved"] == pytest.approx(1551.5)
    assert equivalent["actual"] == pytest.approx(1869.895)
    assert equivalent["deviation"] == pytest.approx(1869.895 / 1551.5 - 1)  # +20.52 %
    assert equivalent["over"]
    assert equivalent["alerted"]  # the approval's thresholds count at equivalent value
    # equal value: 5.0001 + 1 000 x 0.404 / 1 000 = 5.4041 tce a day x 365 = 1 972.4965 tce
    # against 1 832.6 tce: +7.63 %, not over
    equal = by_key["equal_tce"]
    assert equal["approved"] == pytest.approx(1832.6)
    assert equal["actual"] == pytest.approx(1972.4965)
    assert not equal["over"]
    assert not equal["alerted"]  # shown for reference, never its own alert
    # unit product: 5.1230 tce / 140 t = 36.592857 kgce/t against 31.03: +17.93 %
    unit = by_key[f"unit:{items['out']}"]
    assert unit["actual"] == pytest.approx(5.1230 / 140 * 1000)
    assert unit["deviation"] == pytest.approx(36.592857 / 31.03 - 1, abs=1e-6)
    assert [m["month"] for m in answer["months"]] == ["2025-01", "2025-02"]
    assert all(m["complete"] for m in answer["months"])
    # January alone: 31 x 5.1230 = 158.813 tce; the year ending with it (2024-02-01 ..
    # 2025-01-31) holds 29 Feb 2024: 366 days, 158.813 x 366 / 31 = 1 875.018 tce
    assert answer["months"][0]["annualised_equivalent_tce"] == pytest.approx(1875.018)
    # the caveats are read on the 投产后 tab and in the PDF: Chinese, no English words
    assert any("偏差限值 10% 为本地配置，其依据待核实" in c for c in answer["caveats"])
    for caveat in answer["caveats"]:
        assert not re.findall(r"[A-Za-z]{2,}", caveat), caveat


def test_the_alert_is_raised_then_cleared_when_the_deviation_falls_back(engine, people):
    with engine.begin() as conn:
        pid, items = operating(conn, people)
        project = (
            conn.execute(
                select(audit_log.c.action).where(
                    audit_log.c.entity == "project", audit_log.c.entity_id == str(pid)
                )
            )
            .scalars()
            .all()
        )
    assert "project.link" in project
    assert "project.commission" in project
    monitor = Monitor(engine, sources=(project_source,))
    monitor.run_month(2025, 2)
    with engine.connect() as conn:
        opened = conn.execute(select(alerts).where(alerts.c.rule == "project_deviation")).all()
    subjects = {row.subject: row for row in opened}
    assert set(subjects) == {f"project:{pid}:equivalent_tce", f"project:{pid}:unit:{items['out']}"}
    row = subjects[f"project:{pid}:equivalent_tce"]
    assert row.severity == "warning"
    assert row.status == "open"
    assert "年产 5 万吨涂料项目" in row.message
    assert "1,551.50" in row.message
    assert "1,869.90" in row.message
    assert "+20.5%" in row.message
    assert "2 个月" in row.message
    # March runs at 3 t coal and 1 000 kWh a day: 3 x 0.7143 + 0.1229 = 2.2658 tce x 31
    # = 70.2398 tce; Jan-Mar 302.257 + 70.2398 = 372.4968 tce over 90 days x 365 / 90
    # = 1 510.69 tce: -2.6 %, under; the unit product 372.4968 / 12 600 t = 29.56 kgce/t
    with engine.begin() as conn:
        for key, value in (("coal", 3.0), ("elec", 1000.0), ("out", 140.0)):
            put_days(conn, items[key], date(2025, 3, 1), date(2025, 3, 31), value)
        rebuild(conn, items.values())
        answer = operation(conn, Scope.all(), pid, as_of=date(2025, 4, 1))
    assert answer["comparison"]["figures"][0]["actual"] == pytest.approx(372.4968 * 365 / 90)
    report = monitor.run_month(2025, 3)
    assert report.cleared == 2
    with engine.connect() as conn:
        states = (
            conn.execute(select(alerts.c.status).where(alerts.c.rule == "project_deviation"))
            .scalars()
            .all()
        )
    assert states == ["resolved", "resolved"]


def test_links_are_refused_with_reasons(engine, people):
    from factories import add_item

    with engine.begin() as conn:
        pid, items = operating(conn, people, jan_feb=False)
        other = add_item(conn, people["e2"], "X.ELEC", energy_kind="electricity", unit="kWh")
        draft = add_item(
            conn, people["e1"], "D.ELEC", energy_kind="electricity", unit="kWh", approval="draft"
        )
        city = people["city"]
        for ids, code in (
            ([other], "project_item_not_linkable"),
            ([draft], "project_item_not_linkable"),
            ([], "project_item_not_linkable"),
        ):
            with pytest.raises(InvalidInputError) as refused:
                commissioning.link(conn, city, Scope.all(), pid, ids)
            assert refused.value.code == code
        with pytest.raises(NotFoundError) as missing:
            commissioning.link(conn, city, Scope.all(), pid, [999_999])
        assert missing.value.code == "item_not_found"
        from project_support import FIELDS

        from nenghao.review import register

        ent = people["ent1"]
        fresh = register.create(conn, ent, Scope.for_user(ent), FIELDS)
        with pytest.raises(ConflictError) as draft_project:
            commissioning.link(conn, city, Scope.all(), fresh, [items["coal"]])
        assert draft_project.value.code == "project_not_commissionable"
        # a district outside the project's division does not see it
        with pytest.raises(NotFoundError):
            commissioning.link(
                conn, people["dist2"], Scope.for_user(people["dist2"]), pid, [items["coal"]]
            )
        linked = commissioning.link(
            conn, people["dist1"], Scope.for_user(people["dist1"]), pid, [items["coal"]]
        )
    assert [i["id"] for i in linked["items"]] == sorted(items.values())
