"""What a collection plan version changes against the approved plan: pure functions over
item rows and snapshots (no database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nenghao.store.items import snapshot


def plan_entry(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item as a plan version keeps it: its id, approval state and attributes."""
    return {"id": item["id"], "approval": item["approval"], **snapshot(item)}


def same_as_submitted(item: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    """Whether the item still stands as it was submitted in `entry`."""
    return snapshot(item) == {k: v for k, v in entry.items() if k not in ("id", "approval")}


def diff_of(
    rows: Iterable[Mapping[str, Any]], approved: Mapping[int, Mapping[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The change of the items `rows` from the `approved` plan (its entries by item id):
    ``added`` (draft items, never approved), ``changed`` (approved items changed since, with
    each changed field as ``[approved, now]`` where the approved plan recorded the item) and
    ``deactivated`` (approved items deactivated since)."""
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    deactivated: list[dict[str, Any]] = []
    for row in rows:
        brief = {"id": row["id"], "code": row["code"], "name": row["name"]}
        if row["approval"] == "draft" and row["active"]:
            added.append(brief)
        elif row["approval"] == "changed" and not row["active"]:
            deactivated.append(brief)
        elif row["approval"] == "changed":
            now, before = snapshot(row), approved.get(row["id"], {})
            fields = {
                name: [before[name], value]
                for name, value in now.items()
                if name in before and before[name] != value
            }
            changed.append({**brief, "fields": fields})
    return {"added": added, "changed": changed, "deactivated": deactivated}


def counts(diff: Mapping[str, list[Any]]) -> dict[str, int]:
    """How many items the diff adds, changes and deactivates."""
    return {name: len(diff.get(name, [])) for name in ("added", "changed", "deactivated")}
