"""The demo city: catalogue, alignment, injected faults, determinism, on both backends."""

from __future__ import annotations

import shutil
import statistics
from collections import defaultdict
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, text

from databases import migrated_pg_database
from nenghao.demo import (
    DemoAlreadyPresentError,
    build_demo,
    demo_present,
    load_manifest,
    remove_demo,
)
from nenghao.demo.catalogue import (
    CLUSTERS,
    DIVISIONS,
    ENERGY_UNITS,
    ENTERPRISES,
    MEDIA,
    SIZING_KGCE,
)
from nenghao.demo.faults import FAULT_PLAN
from nenghao.demo.timegrid import HOUR
from nenghao.standards.calendar import CST, cst_midnight, to_cst
from nenghao.standards.vocabulary import MEASURES, USAGES
from nenghao.store.credit_code import validate_credit_code
from nenghao.store.engine import make_engine
from nenghao.store.migrate import upgrade
from nenghao.store.schema import (
    auth_tokens,
    data_items,
    device_credentials,
    enterprises,
    readings,
    users,
)

END = date(2025, 3, 9)
DAYS = 10
PRODUCT_CODES = {
    "sinter",
    "pellet",
    "hot_metal",
    "converter_steel",
    "eaf_steel_lt50",
    "eaf_steel_50_70",
    "eaf_steel_ge70",
    "coke_top_charged",
    "coke_stamp_charged",
    "fused_magnesia",
    "light_burned_magnesia",
    "dead_burned_magnesia",
}


def _build(engine: Engine, folder: Path):
    summary = build_demo(engine, days=DAYS, end=END, manifest_dir=folder)
    return engine, summary, load_manifest(summary.manifest_path)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request, tmp_path_factory):
    """One build per backend for the module, shared by the tests that only read it
    (PostgreSQL: a database of its own, kept for the module)."""
    folder = tmp_path_factory.mktemp("demo-build")
    with ExitStack() as stack:
        if request.param == "sqlite":
            shutil.copyfile(request.getfixturevalue("sqlite_template"), folder / "demo.db")
            url = f"sqlite:///{folder / 'demo.db'}"
        else:
            url = stack.enter_context(migrated_pg_database())
        engine = make_engine(url)
        stack.callback(engine.dispose)
        yield _build(engine, folder)


@pytest.fixture
def fresh_built(engine: Engine, tmp_path):
    """A build of this test's own (on each backend), for a test that changes it."""
    return _build(engine, tmp_path)


def _rows(engine: Engine, sql: str, **params):
    with engine.connect() as connection:
        return connection.execute(text(sql), params).all()


def _item_id(engine: Engine, credit_code: str, item_code: str) -> int:
    rows = _rows(
        engine,
        "SELECT i.id FROM data_items i JOIN enterprises e ON e.id = i.enterprise_id"
        " WHERE e.credit_code = :c AND i.code = :i",
        c=credit_code,
        i=item_code,
    )
    assert len(rows) == 1, (credit_code, item_code)
    return rows[0][0]


def _series(engine: Engine, item_id: int, lo: int, hi: int):
    return _rows(
        engine,
        "SELECT period_start, value, register_value FROM readings"
        " WHERE item_id = :i AND period = 'hour' AND period_start >= :lo AND period_start < :hi"
        " ORDER BY period_start",
        i=item_id,
        lo=lo,
        hi=hi,
    )


def test_summary_and_manifest(built):
    engine, summary, manifest = built
    assert summary.enterprises == len(ENTERPRISES) >= 40
    assert summary.district_division == "210381"
    assert summary.start.utcoffset() == timedelta(0)
    assert summary.end == (
        to_cst(cst_midnight(END + timedelta(days=1))).astimezone(summary.end.tzinfo)
    )
    assert (summary.end - summary.start) == timedelta(days=DAYS)
    with engine.connect() as connection:
        showcase = connection.execute(
            select(enterprises.c.credit_code, enterprises.c.industry_code).where(
                enterprises.c.id == summary.showcase_enterprise_id
            )
        ).one()
        assert connection.execute(text("SELECT count(*) FROM readings")).scalar_one() == (
            summary.readings
        )
        assert connection.execute(text("SELECT count(*) FROM data_items")).scalar_one() == (
            summary.items
        )
    assert showcase.credit_code == manifest.showcase_credit_code
    assert showcase.industry_code == "3120"
    assert manifest.readings == summary.readings
    assert {fault.kind for fault in manifest.faults} == {plan.kind for plan in FAULT_PLAN}
    by_division = defaultdict(int)
    for entry in manifest.enterprises:
        by_division[entry.division_code] += 1
    assert by_division[summary.district_division] >= 5


def test_catalogue_covers_the_city(built):
    engine, _, manifest = built
    ents = _rows(
        engine, "SELECT credit_code, division_code, industry_code, key_unit_level FROM enterprises"
    )
    assert len(ents) >= 40
    assert {row.division_code for row in ents} == set(DIVISIONS)
    for row in ents:
        assert validate_credit_code(row.credit_code) == row.credit_code
        assert row.credit_code[2:8] == row.division_code
    clusters = {entry.cluster for entry in manifest.enterprises}
    assert {"steel", "magnesia", "equipment", "chemicals"} <= clusters <= set(CLUSTERS)
    industries = {row.industry_code for row in ents}
    assert {"3120", "3130", "2521", "3089", "1019", "4430"} <= industries
    assert {row.key_unit_level for row in ents} == {"key", "designated", "none"}
    haicheng_magnesia = [
        e for e in manifest.enterprises if e.division_code == "210381" and e.industry_code == "3089"
    ]
    assert 13 <= len(haicheng_magnesia) <= 17


def test_items_are_plausible(built):
    engine, _, _ = built
    with engine.connect() as connection:
        items = connection.execute(select(data_items)).all()
    products = set()
    for item in items:
        assert item.measures in MEASURES
        assert item.usage in USAGES
        if item.measures in {"energy", "medium"}:
            assert item.energy_kind in ENERGY_UNITS, item.code
            assert item.unit == ENERGY_UNITS[item.energy_kind], item.code
            assert (item.measures == "medium") == (item.energy_kind in MEDIA)
            assert item.usage in {"consumption", "raw_material", "export", "production"}
            assert item.period == "hour"
        elif item.measures == "product":
            assert item.usage == "production"
            assert item.unit == "t"
            assert item.product_code
            products.add(item.product_code)
        else:
            assert item.usage == "value"
            assert item.unit == "万元"
            assert item.period == "month"
            assert item.manual
    assert products >= PRODUCT_CODES
    assert any(item.renewable and item.energy_kind == "electricity" for item in items)
    assert {i.usage for i in items if i.energy_kind} >= {"consumption", "raw_material", "export"}
    register_ids = [item.id for item in items if item.value_kind == "register"]
    assert len(register_ids) >= 2
    for item_id in register_ids:
        rows = _rows(
            engine,
            "SELECT count(*), count(register_value) FROM readings WHERE item_id = :i",
            i=item_id,
        )
        assert rows[0][0] > 0
        assert rows[0][0] == rows[0][1]
    bounded = {item.boundary for item in items}
    assert {"sintering", "blast_furnace", "converter", "coking", "eaf", "fused_furnace"} <= bounded


def test_periods_are_aligned(built):
    engine, summary, _ = built
    bad_hours = _rows(
        engine,
        "SELECT count(*) FROM readings WHERE period = 'hour' AND"
        " (period_start % 3600 <> 0 OR received_at <> period_start + 3600)",
    )
    assert bad_hours[0][0] == 0
    start, end = int(summary.start.timestamp()), int(summary.end.timestamp())
    span = _rows(
        engine, "SELECT min(period_start), max(period_start) FROM readings WHERE period = 'hour'"
    )
    assert span[0] == (start, end - HOUR)
    months = _rows(engine, "SELECT DISTINCT period_start FROM readings WHERE period = 'month'")
    assert months
    for (month_start,) in months:
        local = to_cst(month_start)
        assert (local.day, local.hour, local.minute) == (1, 0, 0)
    quality = _rows(engine, "SELECT DISTINCT quality, source, revision FROM readings")
    assert quality == [("good", "demo", 1)]


def test_every_fault_is_in_the_rows(built):
    engine, _, manifest = built
    assert manifest.faults
    for fault in manifest.faults:
        item_id = _item_id(engine, fault.credit_code, fault.item_code)
        lo, hi = fault.start_ts, fault.end_ts
        if fault.kind in {"gap", "missing_day"}:
            assert _series(engine, item_id, lo, hi) == [], fault
            around = _series(engine, item_id, lo - HOUR, hi + HOUR)
            assert [row[0] for row in around] == [lo - HOUR, hi], fault
            if fault.kind == "missing_day":
                assert hi - lo == 86_400
                assert to_cst(lo).hour == 0
        elif fault.kind == "spike":
            rows = _series(engine, item_id, lo - 12 * HOUR, lo + 13 * HOUR)
            spike = next(row.value for row in rows if row.period_start == lo)
            others = [row.value for row in rows if row.period_start != lo]
            assert spike > 4 * statistics.median(others), fault
        elif fault.kind == "flat_line":
            rows = _series(engine, item_id, lo, hi)
            assert len(rows) == (hi - lo) // HOUR >= 6
            assert len({row.value for row in rows}) == 1, fault
            neighbours = _series(engine, item_id, lo - 6 * HOUR, lo)
            assert len({row.value for row in neighbours}) > 1
        elif fault.kind == "negative":
            rows = _series(engine, item_id, lo, lo + HOUR)
            assert rows[0].value < 0, fault
        elif fault.kind == "register_backwards":
            rows = _series(engine, item_id, lo - HOUR, lo + HOUR)
            assert rows[1].register_value < rows[0].register_value, fault
            assert rows[1].value >= 0
        elif fault.kind == "level_shift":
            before = _series(engine, item_id, lo - 24 * HOUR, lo)
            after = _series(engine, item_id, lo, lo + 24 * HOUR)
            ratio = statistics.mean(r.value for r in after) / statistics.mean(
                r.value for r in before
            )
            assert 1.2 < ratio < 1.5, fault
            assert hi == manifest.end_ts
        elif fault.kind == "late_filing":
            rows = _rows(
                engine,
                "SELECT received_at FROM readings WHERE item_id = :i AND period = 'month'"
                " AND period_start = :s",
                i=item_id,
                s=lo,
            )
            assert rows[0][0] - hi == 8 * 86_400, fault
        elif fault.kind == "missing_filing":
            rows = _rows(
                engine,
                "SELECT count(*) FROM readings WHERE item_id = :i AND period_start = :s",
                i=item_id,
                s=lo,
            )
            assert rows[0][0] == 0, fault
        else:  # pragma: no cover
            pytest.fail(f"unchecked fault kind {fault.kind}")


def test_process_consumption_near_quota_levels(built):
    engine, _, manifest = built
    rows = _rows(
        engine,
        "SELECT e.credit_code, i.boundary, i.measures, i.energy_kind, i.usage, i.product_code,"
        " sum(r.value) AS total FROM readings r JOIN data_items i ON i.id = r.item_id"
        " JOIN enterprises e ON e.id = i.enterprise_id WHERE r.period = 'hour'"
        " GROUP BY e.credit_code, i.boundary, i.measures, i.energy_kind, i.usage,"
        " i.product_code",
    )
    energy = defaultdict(float)
    output = {}
    for row in rows:
        key = (row.credit_code, row.boundary)
        if row.measures == "product":
            output[key] = (row.product_code, row.total)
        elif row.usage in {"consumption", "export"} and row.energy_kind:
            sign = 1 if row.usage == "consumption" else -1
            energy[key] += sign * row.total * SIZING_KGCE[row.energy_kind]
    unit = defaultdict(list)
    for key, (product_code, total) in output.items():
        unit[product_code].append(energy[key] / total)
    expected = {
        "sinter": (43, 52),
        "pellet": (15, 33),
        "hot_metal": (361, 415),
        "converter_steel": (-30, -12),
        "coke_top_charged": (100, 135),
        "eaf_steel_ge70": (55, 72),
    }
    for product_code, (low, high) in expected.items():
        for value in unit[product_code]:
            assert low <= value <= high, (product_code, value)
    # some plants are deliberately above the limit
    assert max(unit["coke_stamp_charged"]) > 140
    assert max(unit["eaf_steel_lt50"]) > 86
    assert max(unit["fused_magnesia"]) > 500
    steel = next(e for e in manifest.enterprises if e.key == "steel-int")
    assert steel.nominal_tce_per_year > 2_000_000


def test_demo_present_and_rebuild_refused(fresh_built):
    engine, _, _ = fresh_built
    assert demo_present(engine)
    with pytest.raises(DemoAlreadyPresentError):
        build_demo(engine, days=DAYS, end=END)
    with engine.begin() as connection:
        # rows that refer to a demo enterprise through a chain of foreign keys
        enterprise_id = connection.execute(select(enterprises.c.id).limit(1)).scalar_one()
        user_id = connection.execute(
            insert(users).values(
                username="demo-gateway-owner",
                password_hash="x",
                role="enterprise",
                enterprise_id=enterprise_id,
                created_at=0,
                password_changed_at=0,
            )
        ).inserted_primary_key[0]
        connection.execute(
            insert(auth_tokens).values(
                token_hash="0" * 64, user_id=user_id, issued_at=0, expires_at=1
            )
        )
        connection.execute(
            insert(device_credentials).values(
                enterprise_id=enterprise_id, key_id="demo-key", secret_hash="x", created_at=0
            )
        )
    assert remove_demo(engine) == len(ENTERPRISES)
    assert not demo_present(engine)
    with engine.connect() as connection:
        for table in (users, auth_tokens, device_credentials, enterprises):
            assert connection.execute(select(table).limit(1)).first() is None, table.name
    with engine.connect() as connection:
        assert connection.execute(select(readings.c.item_id).limit(1)).first() is None


def test_manifest_dir_default(engine: Engine):
    summary = build_demo(engine, days=3, end=END)
    if engine.dialect.name == "sqlite":
        assert summary.manifest_path is not None
        assert summary.manifest_path.parent == (
            type(summary.manifest_path)(engine.url.database).resolve().parent
        )
        assert load_manifest(summary.manifest_path.parent).days == 3
    else:
        assert summary.manifest_path is None


def test_too_few_days_rejected(engine: Engine):
    with pytest.raises(ValueError, match="at least"):
        build_demo(engine, days=2, end=END)
    assert not demo_present(engine)


def _dump(url: str) -> dict[str, list]:
    engine = make_engine(url)
    with engine.connect() as connection:
        order = {
            "enterprises": "id",
            "data_items": "id",
            "readings": "item_id, period, period_start",
        }
        dump = {
            table: connection.execute(text(f"SELECT * FROM {table} ORDER BY {key}")).all()
            for table, key in order.items()
        }
    engine.dispose()
    return dump


def test_two_builds_are_identical(tmp_path, sqlite_template):
    dumps = []
    manifests = []
    for name in ("a", "b"):
        path = tmp_path / name / "nenghao.db"
        path.parent.mkdir()
        path.write_bytes(sqlite_template.read_bytes())
        engine = make_engine(f"sqlite:///{path}")
        summary = build_demo(engine, days=4, end=END, seed=7)
        engine.dispose()
        dumps.append(_dump(f"sqlite:///{path}"))
        manifests.append(summary.manifest_path.read_text(encoding="utf-8"))
    assert dumps[0] == dumps[1]
    assert manifests[0] == manifests[1]
    assert len(dumps[0]["readings"]) > 20_000


def test_seed_changes_values_not_catalogue(tmp_path, sqlite_template):
    values = []
    for seed in (1, 2):
        path = tmp_path / f"s{seed}.db"
        path.write_bytes(sqlite_template.read_bytes())
        engine = make_engine(f"sqlite:///{path}")
        build_demo(engine, days=3, end=END, seed=seed, manifest_dir=tmp_path / f"m{seed}")
        with engine.connect() as connection:
            codes = connection.execute(
                text("SELECT credit_code FROM enterprises ORDER BY id")
            ).all()
            first = connection.execute(
                text("SELECT value FROM readings ORDER BY item_id, period, period_start LIMIT 50")
            ).all()
        engine.dispose()
        values.append((codes, first))
    assert values[0][0] == values[1][0]
    assert values[0][1] != values[1][1]


def test_default_end_is_yesterday_cst(tmp_path, sqlite_template):
    from datetime import datetime

    path = tmp_path / "d.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    summary = build_demo(engine, days=3)
    engine.dispose()
    today = datetime.now(tz=CST).date()
    assert summary.end == datetime(today.year, today.month, today.day, tzinfo=CST)


def test_progress_is_reported(tmp_path, sqlite_template):
    path = tmp_path / "p.db"
    path.write_bytes(sqlite_template.read_bytes())
    engine = make_engine(f"sqlite:///{path}")
    calls = []
    build_demo(engine, days=3, end=END, progress=lambda s, d, t: calls.append((s, d, t)))
    engine.dispose()
    stages = {stage for stage, _, _ in calls}
    assert stages == {"generate", "catalogue", "readings"}
    for stage in stages:
        last = [c for c in calls if c[0] == stage][-1]
        assert last[1] == last[2]


def test_migrated_fixture_template_is_usable(tmp_path):
    # guard: build_demo needs only a migrated database
    path = tmp_path / "fresh.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    assert not demo_present(engine)
    engine.dispose()
