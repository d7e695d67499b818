"""Every enterprise's products against their quotas over HTTP, with figures worked by hand.

Enterprise ``a`` (铁东区) runs a sintering line, ``c`` (海城市) a blast furnace; readings
sit in the first hour of July and August 2026 (GB 21256-2025 in force from 2026-07-01).
Coefficients (GB/T 2589-2020): coke 0.9714 kgce/kg, electricity 0.1229 kgce/kWh (当量值).

* a, sintering: 2 x 4 t coke = 8 000 kg x 0.9714 = 7 771.2 kgce; 2 x 10 000 kWh x 0.1229 =
  2 458 kgce; 10 229.2 kgce / 200 t sinter = 51.146 kgce/t. Limits L1 43, L2 46, L3 52:
  level L3, 0.854 below the limit.
* c, blast furnace (July only): 40 t coke = 38 856 kgce; 100 000 kWh = 12 290 kgce;
  51 146 kgce / 100 t hot metal = 511.46 kgce/t. L3 = 415: above the limit by 96.46.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from api_support import assert_error_shape
from openpyxl import load_workbook
from sqlalchemy import insert

from factories import add_item
from nenghao.analytics.periods import Period
from nenghao.analytics.quota_compliance import quota_compliance
from nenghao.standards.calendar import month_start
from nenghao.store.rollups import rebuild
from nenghao.store.schema import readings
from nenghao.store.scope import Scope

PERIOD = "2026-07..2026-08"
SINTER = 10229.2 / 200  # 51.146 kgce/t
HOT_METAL = 51146.0 / 100  # 511.46 kgce/t


def _put(conn, item: int, values: dict[tuple[int, int], float]) -> None:
    conn.execute(
        insert(readings),
        [
            {
                "item_id": item,
                "period": "hour",
                "period_start": month_start(y, m),
                "value": v,
                "source": "test",
                "received_at": month_start(y, m),
            }
            for (y, m), v in values.items()
        ],
    )


def _line(conn, enterprise: int, boundary: str, product: str, energy, output) -> None:
    for code, kind, unit, values in energy:
        item = add_item(
            conn, enterprise, f"{boundary}.{code}", energy_kind=kind, unit=unit, boundary=boundary
        )
        _put(conn, item, values)
    item = add_item(
        conn,
        enterprise,
        f"{boundary}.{product}",
        measures="product",
        usage="production",
        product_code=product,
        unit="t",
        boundary=boundary,
    )
    _put(conn, item, output)


@pytest.fixture
def seeded(engine, world):
    months = [(2026, 7), (2026, 8)]
    with engine.begin() as conn:
        _line(
            conn,
            world.enterprise_ids["a"],
            "sintering",
            "sinter",
            [
                ("coke", "coke", "t", dict.fromkeys(months, 4.0)),
                ("elec", "electricity", "kWh", dict.fromkeys(months, 10000.0)),
            ],
            dict.fromkeys(months, 100.0),
        )
        _line(
            conn,
            world.enterprise_ids["c"],
            "bf",
            "hot_metal",
            [
                ("coke", "coke", "t", {(2026, 7): 40.0}),
                ("elec", "electricity", "kWh", {(2026, 7): 100000.0}),
            ],
            {(2026, 7): 100.0},
        )
        rebuild(conn)
    return world


def _get(client, world, role, **params):
    response = client.get(
        "/api/v1/stats/quota-compliance",
        params={"period": PERIOD, **params},
        headers=world.headers(role),
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_city_sees_every_product_worst_first(client, seeded):
    answer = _get(client, seeded, "regulator")
    assert answer["partial"] is False
    assert (answer["start"], answer["end"]) == ("2026-07-01", "2026-08-31")
    c, a = answer["rows"]
    assert c["enterprise_id"] == seeded.enterprise_ids["c"]
    assert (c["division_name"], c["product_code"], c["level"]) == (
        "海城市",
        "hot_metal",
        "above_limit",
    )
    assert c["unit_consumption"] == pytest.approx(511.46, abs=0.005)
    assert c["unit_consumption"] == pytest.approx(HOT_METAL, abs=0.005)
    assert (c["limit"], c["excess"]) == (415.0, pytest.approx(96.46, abs=0.005))
    assert (c["edition"], c["edition_status"]) == ("GB 21256-2025", "confirmed")
    assert a["division_name"] == "铁东区"
    assert a["unit_consumption"] == pytest.approx(SINTER, abs=0.005)  # 51.15
    assert (a["level"], a["limit"]) == ("L3", 52.0)
    assert a["excess"] == pytest.approx(-0.854, abs=0.005)
    assert answer["counts"] == {
        "products": 2,
        "assessed": 2,
        "exceeding": 1,
        "exceeding_enterprises": 1,
    }


def test_only_exceeders_and_product_filter(client, seeded):
    answer = _get(client, seeded, "regulator", only_exceeders="true")
    assert [row["product_code"] for row in answer["rows"]] == ["hot_metal"]
    sinter = _get(client, seeded, "regulator", product="sinter")
    assert [row["enterprise_id"] for row in sinter["rows"]] == [seeded.enterprise_ids["a"]]


@pytest.mark.parametrize(("role", "seen"), [("district", "a"), ("enterprise", "a")])
def test_district_and_enterprise_see_their_own_only(client, seeded, role, seen):
    answer = _get(client, seeded, role)
    assert {row["enterprise_id"] for row in answer["rows"]} == {seeded.enterprise_ids[seen]}
    assert _get(client, seeded, role, only_exceeders="true")["rows"] == []
    # a division filter outside the scope does not widen it
    assert _get(client, seeded, role, division="210381")["rows"] == []


def test_unknown_product_answers_in_the_error_shape(client, seeded):
    response = client.get(
        "/api/v1/stats/quota-compliance",
        params={"product": "unobtainium"},
        headers=seeded.headers("regulator"),
    )
    assert_error_shape(response, 422, "unknown_key")


def test_a_period_in_progress_is_read_to_its_last_complete_day(engine, seeded):
    with engine.connect() as conn:
        answer = quota_compliance(conn, Scope.all(), Period.year(2026), today=date(2026, 7, 15))
    assert (answer["partial"], answer["end"], answer["through"]) == (
        True,
        "2026-07-14",
        "截至 7月14日",
    )
    rows = {row["product_code"]: row for row in answer["rows"]}
    # July only: a's 4 t coke + 10 000 kWh = 3 885.6 + 1 229 = 5 114.6 kgce / 100 t
    assert rows["sinter"]["unit_consumption"] == pytest.approx(51.146)


def test_exceeders_workbook_of_the_city_and_of_a_district(client, seeded):
    response = client.get(
        "/api/v1/reports/quota-exceeders",
        params={"period": PERIOD},
        headers=seeded.headers("regulator"),
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["超限额"]
    assert sheet["A1"].value.startswith("鞍山市超限额用能企业清单")
    notes = sheet["A2"].value
    assert "GB 21256-2025" in notes
    assert "已核对" in notes
    assert "2026-07-01 至 2026-08-31" in notes
    assert sheet["G3"].value == "单位产品综合能耗 (kgce/t)"
    row = [cell.value for cell in sheet[4]]
    assert row[1] == "海城镁质耐火材料有限公司"
    assert row[2] == "海城市"
    assert row[6] == pytest.approx(511.46)
    assert row[7] == 415.0
    assert row[9] == "超限额"
    assert sheet.max_row == 4
    district = client.get(
        "/api/v1/reports/quota-exceeders",
        params={"period": PERIOD},
        headers=seeded.headers("district"),
    )
    sheet = load_workbook(io.BytesIO(district.content))["超限额"]
    assert sheet["A1"].value.startswith("铁东区超限额用能企业清单")
    assert sheet["B4"].value == "本期无超限额的产品"


def test_monthly_workbook_lists_the_exceeders_of_the_year_to_date(client, seeded):
    response = client.get(
        "/api/v1/reports/monthly",
        params={"year": 2026, "month": 8},
        headers=seeded.headers("regulator"),
    )
    sheet = load_workbook(io.BytesIO(response.content))["超限额"]
    assert "2026-01-01 至 2026-08-31" in sheet["A2"].value
    assert sheet["B4"].value == "海城镁质耐火材料有限公司"


def test_catalogue_quotas_carry_the_benchmark_levels(client, seeded):
    answer = client.get("/api/v1/catalog/quotas", headers=seeded.headers("regulator")).json()
    levels = {level["product"]: level for level in answer["benchmarks"]}
    assert (levels["hot_metal"]["benchmark"], levels["hot_metal"]["baseline"]) == (361.0, 435.0)
    assert (levels["converter_steel"]["benchmark"], levels["converter_steel"]["baseline"]) == (
        -30.0,
        -10.0,
    )
    assert levels["coke_stamp_charged"]["status"] == "unverified"
