"""Quality scores over HTTP: ranking in scope, drill-down, events, month validation."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape
from sqlalchemy import insert

from nenghao.standards.calendar import month_start
from nenghao.store import quality
from nenghao.store.schema import data_items, quality_events, quality_item_days

JANUARY = month_start(2025, 1)
WEIGHTS = {"completeness": 0.4, "timeliness": 0.2, "consistency": 0.2, "validity": 0.2}


@pytest.fixture
def scored(engine, world):
    ids = world.enterprise_ids
    with engine.begin() as conn:
        rows = [
            {
                "enterprise_id": ids[label],
                "score": score,
                "grade": grade,
                "completeness": score / 100,
                "timeliness": 1.0,
                "consistency": None,
                "validity": 1.0,
                "weights": WEIGHTS,
                "detail": {},
                "computed_at": 0,
            }
            for label, score, grade in (("a", 90.0, "B"), ("b", 97.5, "A"), ("c", 90.0, "B"))
        ]
        quality.save_scores(conn, JANUARY, rows)
        item = conn.execute(
            insert(data_items).values(
                enterprise_id=ids["a"],
                code="ent.electricity",
                name="电",
                measures="energy",
                usage="consumption",
                unit="kWh",
                period="hour",
                created_at=0,
            )
        ).inserted_primary_key[0]
        day = JANUARY + 4 * 86_400
        conn.execute(
            insert(quality_item_days).values(
                item_id=item,
                day=day,
                enterprise_id=ids["a"],
                expected=24,
                received=18,
                on_time=18,
                invalid=0,
                checked_at=0,
            )
        )
        conn.execute(
            insert(quality_events).values(
                rule="completeness",
                enterprise_id=ids["a"],
                item_id=item,
                subject=f"item:{item}",
                period="day",
                start=day,
                end=day + 86_400,
                severity="warning",
                points=6,
                value=0.75,
                message="18 of 24",
                detected_at=0,
            )
        )
    return world


def _scores(client, world, role):
    answer = client.get(
        "/api/v1/quality/scores", params={"month": "2025-01"}, headers=world.headers(role)
    )
    assert answer.status_code == 200, answer.text
    return [(row["enterprise_id"], row["rank"]) for row in answer.json()["items"]]


def test_ranking_in_scope(client, scored):
    a, b, c = (scored.enterprise_ids[x] for x in "abc")
    assert _scores(client, scored, "regulator") == [(b, 1), (a, 2), (c, 2)]
    assert _scores(client, scored, "district") == [(b, 1), (a, 2)]
    assert _scores(client, scored, "enterprise") == [(a, 1)]


def test_drill_down_and_events(client, scored):
    a = scored.enterprise_ids["a"]
    answer = client.get(
        f"/api/v1/quality/enterprises/{a}",
        params={"month": "2025-01"},
        headers=scored.headers("enterprise"),
    ).json()
    assert answer["score"]["grade"] == "B"
    assert [d["item_code"] for d in answer["failing_days"]] == ["ent.electricity"]
    assert answer["events_by_rule"] == {"completeness": 1}
    hidden = client.get(
        f"/api/v1/quality/enterprises/{scored.enterprise_ids['c']}",
        params={"month": "2025-01"},
        headers=scored.headers("district"),
    )
    assert_error_shape(hidden, 404, "enterprise_not_found")
    events = client.get(
        "/api/v1/quality/events", params={"since": "2025-01-05"}, headers=scored.headers("district")
    ).json()
    assert events["total"] == 1
    none = client.get(
        "/api/v1/quality/events",
        headers=scored.headers("enterprise"),
        params={"enterprise_id": scored.enterprise_ids["c"]},
    ).json()
    assert none["total"] == 0


def test_month_and_rule_validation(client, scored):
    headers = scored.headers("regulator")
    bad = client.get("/api/v1/quality/scores", params={"month": "2025-13"}, headers=headers)
    assert_error_shape(bad, 422, "invalid_period")
    shape = client.get("/api/v1/quality/scores", params={"month": "March"}, headers=headers)
    assert_error_shape(shape, 422, "invalid_period")
    early = client.get("/api/v1/quality/scores", params={"month": "0000-00"}, headers=headers)
    assert_error_shape(early, 422, "invalid_period")
    # the same bad month answers the same code and message on every route that reads one
    stats = client.get("/api/v1/stats/consumption", params={"period": "2025-13"}, headers=headers)
    assert_error_shape(stats, 422, "invalid_period")
    assert bad.json()["error"]["message"].startswith("invalid period '2025-13': write ")
    assert stats.json()["error"]["message"].startswith("invalid period '2025-13': write ")
    rule = client.get("/api/v1/quality/events", params={"rule": "nope"}, headers=headers)
    assert_error_shape(rule, 422, "unknown_rule")
