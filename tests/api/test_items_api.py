"""Data items of an enterprise through the API: codes, bad input, versions, scope."""

from __future__ import annotations

from datetime import date, timedelta

from api_support import assert_error_shape
from sqlalchemy import insert, select

from nenghao.standards.calendar import cst_date
from nenghao.store import items
from nenghao.store.common import now
from nenghao.store.schema import audit_log, data_items, readings

ELECTRICITY = {"name": "全厂电力消耗", "measures": "energy", "energy_kind": "电力"}
ELECTRICITY |= {"unit": "kWh", "period": "hour"}


def _items_path(world, label: str = "a") -> str:
    return f"/api/v1/enterprises/{world.enterprise_ids[label]}/items"


def _create(client, world, body, role="enterprise", label="a"):
    return client.post(_items_path(world, label), json=body, headers=world.headers(role))


def _total(client, world, label="a") -> int:
    answer = client.get(_items_path(world, label), headers=world.headers("admin"))
    return int(answer.json()["total"])


def test_codes_are_proposed_from_the_attributes(client, world) -> None:
    first = _create(client, world, ELECTRICITY)
    assert first.status_code == 201, first.text
    body = first.json()
    # fence (ent) . energy kind (the catalogue's code of 电力) + no suffix for consumption
    assert body["code"] == "ent.electricity"
    assert (body["stage"], body["boundary"], body["usage"]) == (
        "fence",
        "enterprise",
        "consumption",
    )
    assert _create(client, world, ELECTRICITY).json()["code"] == "ent.electricity.2"
    coal = {**ELECTRICITY, "name": "原料煤", "energy_kind": "原煤", "unit": "t"}
    coal["usage"] = "raw_material"
    assert _create(client, world, coal).json()["code"] == "ent.raw_coal_feed"
    sinter = {"name": "烧结矿产量", "measures": "product", "product_code": "sinter"}
    sinter |= {"unit": "t", "period": "day", "stage": "end_use", "process": "sintering"}
    made = _create(client, world, sinter).json()
    assert (made["code"], made["boundary"]) == ("sintering.sinter", "sintering")
    proposal = client.post(
        _items_path(world) + "/code-proposal", json=ELECTRICITY, headers=world.headers("admin")
    )
    assert proposal.json() == {"base": "ent.electricity", "code": "ent.electricity.3"}


def test_a_given_code_must_follow_the_scheme_and_be_free(client, world) -> None:
    wrong = _create(client, world, {**ELECTRICITY, "code": "ent.power"})
    error = assert_error_shape(wrong, 422, "item_code_scheme")
    assert error["details"] == {"field": "code", "proposed": "ent.electricity"}
    assert _create(client, world, {**ELECTRICITY, "code": "ent.electricity.7"}).status_code == 201
    again = _create(client, world, {**ELECTRICITY, "code": "ent.electricity.7"})
    assert assert_error_shape(again, 409, "duplicate_item_code")["details"]["field"] == "code"
    assert _total(client, world) == 1


def test_bad_input_names_the_field_and_stores_nothing(client, world) -> None:
    cases = [
        ({"energy_kind": "暗物质"}, "unknown_energy_kind", "energy_kind"),
        ({"unit": "furlong"}, "unknown_unit", "unit"),
        ({"unit": "t"}, "unit_dimension_mismatch", "unit"),  # electricity is energy, t mass
        ({"stage": "end_use"}, "invalid_item", "process"),  # a process stage needs its process
        ({"usage": "value"}, "invalid_item", "usage"),
        ({"measures": "output_value"}, "invalid_item", "energy_kind"),
    ]
    for change, code, field in cases:
        answer = _create(client, world, {**ELECTRICITY, **change})
        assert assert_error_shape(answer, 422, code)["details"]["field"] == field, change
    future = (cst_date(now()) + timedelta(days=2)).isoformat()
    later = _create(client, world, {**ELECTRICITY, "valid_from": future})
    assert_error_shape(later, 422, "effective_date_in_future")
    value = {"name": "工业总产值", "measures": "output_value", "unit": "kWh", "period": "month"}
    assert_error_shape(_create(client, world, value), 422, "unit_dimension_mismatch")
    assert _total(client, world) == 0


def test_changes_are_versioned_and_never_reinterpret_readings(client, world, engine) -> None:
    item = _create(client, world, {**ELECTRICITY, "value_kind": "register"}).json()
    path = f"{_items_path(world)}/{item['id']}"
    headers = world.headers("enterprise")
    today = cst_date(now())
    # no readings yet: even the unit may change (kWh -> MWh, the same dimension)
    assert client.patch(path, json={"unit": "MWh"}, headers=headers).json()["unit"] == "MWh"
    with engine.begin() as conn:
        conn.execute(
            insert(readings).values(
                item_id=item["id"],
                period="hour",
                period_start=1_700_000_000,
                value=5.0,
                source="http",
                received_at=1_700_000_100,
            )
        )
    refused = client.patch(path, json={"unit": "kWh", "name": "x"}, headers=headers)
    assert assert_error_shape(refused, 409, "item_has_readings")["details"] == {"fields": ["unit"]}
    meter = {
        "ct_ratio": 200,
        "pt_ratio": 100,
        "accuracy_class": "0.5S",
        "calibration_due": "2027-06-30",
        "register_max": 99_999_999,
        "valid_from": today.isoformat(),
        "reason": "换表",
    }
    changed = client.patch(path, json=meter, headers=headers)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["ct_ratio"], changed.json()["calibration_due"]) == (200, "2027-06-30")
    versions = client.get(path + "/versions", headers=headers).json()["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert versions[1]["attributes"]["unit"] == "MWh"
    assert versions[1]["attributes"]["ct_ratio"] is None
    assert (versions[2]["attributes"]["ct_ratio"], versions[2]["reason"]) == (200, "换表")
    before = client.patch(
        path,
        json={"name": "改名", "valid_from": (today - timedelta(days=3)).isoformat()},
        headers=headers,
    )
    assert_error_shape(before, 422, "effective_date_before_version")
    with engine.connect() as conn:
        in_force = items.version_on(conn, item["id"], today)
        assert in_force is not None
        assert in_force["accuracy_class"] == "0.5S"
        assert items.version_on(conn, item["id"], date(2000, 1, 1)) is None
        actions = conn.execute(
            select(audit_log.c.action).where(
                audit_log.c.entity == "data_item", audit_log.c.entity_id == str(item["id"])
            )
        ).scalars()
        assert list(actions) == ["create", "update", "update"]


def test_deactivated_items_keep_their_row_and_refuse_changes(client, world) -> None:
    item = _create(client, world, ELECTRICITY).json()
    path = f"{_items_path(world)}/{item['id']}"
    headers = world.headers("regulator")
    stopped = client.post(path + "/deactivate", json={"reason": "拆除"}, headers=headers)
    assert stopped.json()["active"] is False
    assert_error_shape(
        client.patch(path, json={"name": "y"}, headers=headers), 409, "item_inactive"
    )
    listed = client.get(_items_path(world) + "?active=true", headers=headers).json()
    assert listed["total"] == 0
    # the code stays taken: a new item gets the next one
    assert _create(client, world, ELECTRICITY).json()["code"] == "ent.electricity.2"


def test_scope_enterprise_and_district(client, world) -> None:
    other = _create(client, world, ELECTRICITY, role="enterprise", label="b")
    assert_error_shape(other, 404, "enterprise_not_found")
    outside = _create(client, world, ELECTRICITY, role="district", label="c")
    assert_error_shape(outside, 404, "enterprise_not_found")
    inside = _create(client, world, ELECTRICITY, role="district", label="b")
    assert inside.status_code == 201
    item_path = f"{_items_path(world, 'b')}/{inside.json()['id']}"
    for method, suffix in (("get", ""), ("patch", ""), ("post", "/deactivate")):
        kwargs = {"json": {"name": "z"} if method == "patch" else {}}
        if method == "get":
            kwargs = {}
        answer = getattr(client, method)(
            item_path + suffix, headers=world.headers("enterprise"), **kwargs
        )
        assert_error_shape(answer, 404, "enterprise_not_found")
    # an item of b asked for under a: not found, not revealed
    wrong = f"{_items_path(world, 'a')}/{inside.json()['id']}"
    assert_error_shape(client.get(wrong, headers=world.headers("admin")), 404, "item_not_found")
    assert_error_shape(_create(client, world, ELECTRICITY, role="auditor"), 403, "forbidden")


def test_without_readings_the_code_follows_the_attributes(client, world) -> None:
    item = _create(client, world, ELECTRICITY, role="district").json()
    path = f"{_items_path(world)}/{item['id']}"
    headers = world.headers("district")
    gas = {"energy_kind": "天然气", "unit": "m3", "stage": "end_use", "process": "boiler"}
    changed = client.patch(path, json=gas, headers=headers)
    assert changed.status_code == 200, changed.text
    # place: the process boiler; what: the catalogue code of 天然气; consumption: no suffix
    assert (changed.json()["code"], changed.json()["boundary"]) == ("boiler.natural_gas", "boiler")
    wrong = client.patch(path, json={"code": "boiler.coal"}, headers=headers)
    assert_error_shape(wrong, 422, "item_code_scheme")
    stopped = client.post(path + "/deactivate", json={}, headers=headers)
    assert stopped.json()["active"] is False


def test_an_item_older_than_versions_gets_its_first_version(client, world, engine) -> None:
    with engine.begin() as conn:
        legacy = conn.execute(
            insert(data_items).values(
                enterprise_id=world.enterprise_ids["a"],
                code="E-01",  # a code from before the scheme: kept as it is
                name="用电",
                measures="energy",
                energy_kind="electricity",
                usage="consumption",
                unit="kWh",
                period="month",
                created_at=1_767_225_600,  # 2026-01-01 08:00 CST
            )
        ).inserted_primary_key[0]
    path = f"{_items_path(world)}/{legacy}"
    headers = world.headers("admin")
    renamed = client.patch(path, json={"name": "全厂用电"}, headers=headers).json()
    assert (renamed["code"], renamed["name"]) == ("E-01", "全厂用电")
    versions = client.get(path + "/versions", headers=headers).json()["versions"]
    assert [(v["version"], v["attributes"]["name"]) for v in versions] == [
        (1, "用电"),
        (2, "全厂用电"),
    ]
    assert versions[0]["valid_from"] == "2026-01-01"
    early = client.post(path + "/deactivate", json={"valid_from": "2025-12-31"}, headers=headers)
    assert_error_shape(early, 422, "effective_date_before_version")
