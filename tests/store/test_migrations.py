"""Migrations build the schema the code declares, on both backends."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect, text

from factories import add_enterprise, add_item, utc
from nenghao.store.migrate import alembic_config, current_revision, head_revision, upgrade
from nenghao.store.rollups import ReadingChange, apply_changes
from nenghao.store.schema import metadata


def test_migrated_schema_has_every_declared_table_and_column(engine):
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        columns = {column["name"] for column in inspector.get_columns(table.name)}
        assert columns == set(table.columns.keys()), table.name
    assert current_revision(engine) is not None


def test_0009_places_process_items_and_goes_back(engine):
    """Items of a process boundary become that process's final use; fence items stay."""
    command.downgrade(alembic_config(engine), "0008")
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO enterprises (id, credit_code, name, division_code,"
                    " industry_code, created_at, updated_at)"
                    " VALUES (1, '91210302MA0TEST0A1', 'e', '210302', '3110', 0, 0)"
                )
            )
            for code, boundary in (("ent.electricity", "enterprise"), ("kiln.coal", "kiln")):
                conn.execute(
                    text(
                        "INSERT INTO data_items (enterprise_id, code, name, measures, usage,"
                        " boundary, unit, period, created_at)"
                        " VALUES (1, :code, :code, 'energy', 'consumption', :boundary, 'kWh',"
                        " 'hour', 0)"
                    ),
                    {"code": code, "boundary": boundary},
                )
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT code, stage, process FROM data_items ORDER BY code")
            ).all()
        assert [tuple(r) for r in rows] == [
            ("ent.electricity", "fence", None),
            ("kiln.coal", "end_use", "kiln"),
        ]
        command.downgrade(alembic_config(engine), "0008")
        columns = {c["name"] for c in inspect(engine).get_columns("data_items")}
        assert "stage" not in columns
        assert "data_item_versions" not in inspect(engine).get_table_names()
    finally:
        upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_0015_copies_the_free_text_contact_into_a_contact_row(engine):
    """The old ``contact`` text stays and becomes the enterprise's first contact."""
    command.downgrade(alembic_config(engine), "0009")
    try:
        with engine.begin() as conn:
            for n, contact in ((1, " 张工 13904121234 "), (2, None), (3, "  ")):
                conn.execute(
                    text(
                        "INSERT INTO enterprises (id, credit_code, name, division_code,"
                        " industry_code, contact, created_at, updated_at)"
                        " VALUES (:n, :code, 'e', '210302', '3110', :contact, 0, 0)"
                    ),
                    {"n": n, "code": f"91210302MA0TEST0A{n}", "contact": contact},
                )
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT enterprise_id, position, name, role FROM enterprise_contacts")
            ).all()
            kept = conn.execute(text("SELECT contact FROM enterprises WHERE id = 1")).scalar()
        assert [tuple(r) for r in rows] == [(1, 0, "张工 13904121234", None)]
        assert kept == " 张工 13904121234 "
        command.downgrade(alembic_config(engine), "0009")
        assert "enterprise_contacts" not in inspect(engine).get_table_names()
        assert "enterprise_managers" not in inspect(engine).get_table_names()
    finally:
        upgrade(engine)


def test_0010_approves_the_items_it_finds_and_goes_back(engine):
    """Items registered before the collection plan are approved; a new insert too (the
    server default), so the demo builder's items accept data."""
    command.downgrade(alembic_config(engine), "0009")
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO enterprises (id, credit_code, name, division_code,"
                    " industry_code, created_at, updated_at)"
                    " VALUES (1, '91210302MA0TEST0A1', 'e', '210302', '3110', 0, 0)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO data_items (enterprise_id, code, name, measures, usage,"
                    " unit, period, created_at)"
                    " VALUES (1, 'ent.electricity', 'e', 'energy', 'consumption', 'kWh',"
                    " 'hour', 0)"
                )
            )
        upgrade(engine)
        with engine.connect() as conn:
            approval = conn.execute(text("SELECT approval FROM data_items")).scalar()
        assert approval == "approved"
        command.downgrade(alembic_config(engine), "0009")
        columns = {c["name"] for c in inspect(engine).get_columns("data_items")}
        assert "approval" not in columns
        assert "plan_versions" not in inspect(engine).get_table_names()
    finally:
        upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_0011_fills_the_status_counters_from_stored_data(engine):
    """Readings and gateway messages stored before 0011 are counted when it is applied."""
    with engine.begin() as conn:
        enterprise = add_enterprise(conn, "M00000001", "210302", "3110")
        hourly = add_item(conn, enterprise, "H", unit="kWh")
        day = utc(2025, 3, 12) - 8 * 3600  # 2025-03-12 00:00 CST
        for h in range(5):
            conn.execute(
                text(
                    "INSERT INTO readings (item_id, period, period_start, value, source,"
                    " received_at) VALUES (:i, 'hour', :s, 1, 'test', :r)"
                ),
                {"i": hourly, "s": day + 3600 * h, "r": day + 3600 * h + 60},
            )
        apply_changes(conn, [ReadingChange(hourly, "hour", day + 3600 * h, 1.0) for h in range(5)])
    command.downgrade(alembic_config(engine), "0010")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            days = conn.execute(text("SELECT enterprise_id, day, records FROM status_days")).all()
            seen = conn.execute(text("SELECT last_seen_at FROM status_contacts")).scalar_one()
    finally:
        upgrade(engine)
    assert [tuple(row) for row in days] == [(enterprise, day, 5)]
    assert seen == day + 4 * 3600 + 60
