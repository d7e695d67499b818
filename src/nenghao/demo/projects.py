"""The demo city's fixed-asset investment projects: one in every state of the review, each
taken there through the real services (`nenghao.review.register`, `documents`, `workflow`,
`commissioning`), so their steps and audit rows exist.

Acting: ``demo-regulator`` (the city; it also acts for the applicants) and ``demo-district``
(海城市, who files the exempt project); `nenghao.cli.demo` later gives both fresh passwords.
One approved project, the fused-magnesia line of 海城市东岳电熔镁有限公司, is commissioned on
the first whole month of the data and linked to its enterprise's fence energy items and its
product item; its approved figures are the metered ones divided by `OVER` (1.2), so its
actual consumption runs 20 % over the approval and the monitor raises ``project_deviation``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from nenghao.analytics.item_sums import bucket_sums
from nenghao.analytics.items import Filters, SelectedItem, load_items
from nenghao.analytics.periods import Period
from nenghao.review import commissioning, documents, register, workflow
from nenghao.review.deviation import annualise
from nenghao.review.operation import first_month, read_months
from nenghao.standards.calendar import add_months
from nenghao.store import users
from nenghao.store.schema import data_items
from nenghao.store.scope import Scope

OVER = 1.2
"""Metered / approved consumption of the operating demo project."""
REGULATOR, DISTRICT = "demo-regulator", "demo-district"
OPERATING_KEY = "mg-fused-01"
PDF = b"%PDF-1.4\n% nenghao demo document\n"

# the steps that take a draft to each state (actor: "city" or "district")
PATHS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "draft": [],
    "submitted": [("city", "submit", {})],
    "under_review": [("city", "submit", {}), ("city", "accept", {})],
    "expert_review": [
        ("city", "submit", {}),
        ("city", "accept", {}),
        (
            "city",
            "opinion",
            {"expert": "张高工", "opinion": "能效基本合理，建议补充余热利用方案"},
        ),
    ],
    "approved": [
        ("city", "submit", {}),
        ("city", "accept", {}),
        ("city", "opinion", {"expert": "李教授", "opinion": "同意，工艺达到国内先进水平"}),
        ("city", "opinion", {"expert": "王高工", "opinion": "同意，落实能耗等量替代"}),
        ("city", "approve", {"conditions": "落实煤炭消费等量替代；投产后一年内完成节能验收"}),
    ],
    "rejected": [
        ("city", "submit", {}),
        ("city", "accept", {}),
        ("city", "reject", {"comment": "单位产品能耗未达到行业先进水平，区域能耗指标不足"}),
    ],
    "filed": [("city", "submit", {}), ("district", "file", {})],
    "withdrawn": [("city", "submit", {}), ("city", "withdraw", {})],
}


@dataclass(frozen=True)
class DemoProject:
    """A project of the demo: its applicant (enterprise key), fields and target state."""

    state: str
    enterprise: str
    name: str
    industry: str | None
    energy: list[dict[str, Any]]
    products: list[dict[str, Any]] = field(default_factory=list)
    location: str | None = None


def _e(energy: str, quantity: float, unit: str) -> dict[str, Any]:
    return {"energy": energy, "quantity": quantity, "unit": unit}


PROJECTS = (
    DemoProject(
        "draft",
        "proc-01",
        "冷轧板连续退火线节能扩建项目",
        None,
        [_e("natural_gas", 300, "万m3"), _e("electricity", 800, "万kWh")],
    ),
    DemoProject(
        "submitted",
        "chem-04",
        "年产 2 万吨精细化学品项目",
        None,
        [_e("natural_gas", 200, "万m3"), _e("electricity", 1200, "万kWh"), _e("steam", 3, "万t")],
    ),
    DemoProject(
        "under_review",
        "chem-03",
        "高纯化学试剂扩建项目",
        None,
        [_e("electricity", 900, "万kWh"), _e("steam", 2, "万t")],
    ),
    DemoProject(
        "expert_review",
        "mg-dead-01",
        "重烧镁砂竖窑扩建项目",
        None,
        [_e("coke", 5000, "t"), _e("electricity", 600, "万kWh")],
    ),
    DemoProject(
        "approved",
        "steel-int",
        "铁西热轧带钢生产线项目",
        "3130",
        [_e("natural_gas", 2000, "万m3"), _e("electricity", 20000, "万kWh")],
        [{"product": None, "name": "热轧带钢", "capacity": 1500000, "unit": "t"}],
        "铁西区鞍融钢铁厂区内",
    ),
    DemoProject(
        "rejected",
        "coke-01",
        "焦炉扩能改造项目",
        None,
        [_e("raw_coal", 30000, "t"), _e("electricity", 1500, "万kWh")],
    ),
    DemoProject(
        "filed",
        "mg-light-01",
        "轻烧窑风机变频节能项目",
        None,
        [_e("electricity", 200, "万kWh")],
    ),
    DemoProject(
        "withdrawn",
        "chem-01",
        "年产 5000 吨医药中间体项目",
        None,
        [_e("electricity", 700, "万kWh"), _e("steam", 1.5, "万t")],
    ),
)


def _actor(conn: Connection, username: str, role: str, division: str | None) -> dict[str, Any]:
    """The demo account (created with an unknown random password when missing)."""
    found = users.get_by_username(conn, username)
    if found is None:
        found = users.create(
            conn,
            username=username,
            password=secrets.token_urlsafe(24),
            role=role,
            division_code=division,
            actor="demo",
        )
    return dict(found)


def _document(conn: Connection, user: dict[str, Any], pid: int, kind: str) -> None:
    file = {
        "filename": "节能报告.pdf" if kind == "energy_report" else "承诺书.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "content": PDF,
    }
    documents.upload(conn, user, Scope.all(), pid, kind, file)


def _create(
    conn: Connection, city: dict[str, Any], enterprise_id: int, project: DemoProject, year: int
) -> int:
    fields: dict[str, Any] = {
        "name": project.name,
        "applicant_enterprise_id": enterprise_id,
        "construction_type": "expansion",
        "first_full_year": year,
        "energy": project.energy,
        "products": project.products,
        "location": project.location,
    }
    if project.industry:
        fields["industry_code"] = project.industry
    pid = register.create(conn, city, Scope.all(), fields)
    kind = "commitment" if project.state == "filed" else "energy_report"
    _document(conn, city, pid, kind)
    return pid


def _walk(conn: Connection, actors: dict[str, dict[str, Any]], pid: int, state: str) -> None:
    for who, action, payload in PATHS[state]:
        user = actors[who]
        workflow.act(conn, user, Scope.for_user(user), pid, action, payload)


def seed_projects(
    engine: Engine, enterprise_ids: dict[str, int], first_day: date, end_day: date
) -> dict[str, int]:
    """Create the demo projects; returns their ids by state (``operating``: the linked one)."""
    out: dict[str, int] = {}
    with engine.begin() as conn:
        actors = {
            "city": _actor(conn, REGULATOR, "regulator", None),
            "district": _actor(conn, DISTRICT, "district", "210381"),
        }
        for project in PROJECTS:
            pid = _create(
                conn, actors["city"], enterprise_ids[project.enterprise], project, end_day.year
            )
            _walk(conn, actors, pid, project.state)
            out[project.state] = pid
        out["operating"] = _operating(
            conn, actors, enterprise_ids[OPERATING_KEY], first_day, end_day
        )
    return out


def _metering(
    conn: Connection, enterprise_id: int
) -> tuple[list[SelectedItem], list[SelectedItem]]:
    items = load_items(
        conn, Scope.all(), ("fence", "product"), Filters(enterprise_id=enterprise_id)
    )
    energy = [i for i in items if i.measures in ("energy", "medium") and i.usage == "consumption"]
    return energy, [i for i in items if i.measures == "product"][:1]


def _planned(
    conn: Connection,
    energy: list[SelectedItem],
    products: list[SelectedItem],
    start: date,
    end: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Energy lines and product of the approval: the metered annualised figures / `OVER`."""
    nominal = [_e("electricity", 5000, "万kWh")]
    product: dict[str, Any] = {"product": None, "name": "电熔镁砂", "capacity": 20000, "unit": "t"}
    if end <= start:
        return nominal, [product]
    months = read_months(conn, energy, products, Period("range", start, end))
    span = annualise(months)
    used = Period("range", span.used[0].start, add_months(span.used[-1].start, 1))
    ids = select(data_items.c.id).where(data_items.c.id.in_([i.id for i in energy]))
    _starts, sums = bucket_sums(conn, energy, ids, used, "month")
    lines = [
        _e(item.energy_kind or "", float(total) * span.scale / OVER, item.unit)
        for item, total in zip(energy, sums.sum(axis=1), strict=True)
        if total > 0
    ]
    output = sum(m.outputs[0] for m in span.used) if products else 0.0
    if output > 0:
        tce = sum(m.equivalent_tce for m in span.used)
        product |= {
            "capacity": output * span.scale,
            "unit": products[0].unit,
            "planned_unit_consumption": tce * 1000.0 / output / OVER,
        }
    return lines or nominal, [product]


def _operating(
    conn: Connection,
    actors: dict[str, dict[str, Any]],
    enterprise_id: int,
    first_day: date,
    end_day: date,
) -> int:
    """The fused-magnesia line: approved on the metered figures / 1.2, commissioned, linked."""
    commissioned = first_month(first_day)
    energy, products = _metering(conn, enterprise_id)
    complete = (end_day + timedelta(days=1)).replace(day=1)  # the first month not complete
    lines, planned = _planned(conn, energy, products, commissioned, complete)
    project = DemoProject(
        "approved", OPERATING_KEY, "电熔镁砂熔炼炉扩建项目", None, lines, planned, "海城市东四镇"
    )
    pid = _create(conn, actors["city"], enterprise_id, project, commissioned.year)
    _walk(conn, actors, pid, "approved")
    ids = [i.id for i in energy + products]
    commissioning.link(conn, actors["city"], Scope.all(), pid, ids, commissioned)
    return pid


def drop_actors(conn: Connection) -> None:
    """Remove the accounts `seed_projects` acts as, with the demo (an account that did other
    work since, referred to elsewhere, is kept)."""
    for name in (REGULATOR, DISTRICT):
        found = users.get_by_username(conn, name)
        if found is None:
            continue
        try:
            with conn.begin_nested():
                users.delete(conn, found["id"], actor="demo")
        except IntegrityError:
            continue
