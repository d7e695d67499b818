"""Monthly data-quality score per enterprise from weighted indices.

* completeness = readings received / readings required (item-days and monthly filings);
* timeliness = readings received by their deadline / readings received;
* consistency = comparisons within 5 % / comparisons made (filed vs metered totals);
* validity = 1 - readings flagged (negative, spike, stuck, register backwards, time tag,
  and the readings after a level shift) / readings received.

score = 100 x sum(weight x index) / sum(weight), over the indices that apply (an enterprise
with nothing to compare has no consistency index and its weight is shared by the others).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from nenghao.monitor.config import GRADES, INDICES
from nenghao.monitor.evaluate import Evaluation


def grade_of(score: float) -> str:
    """A (>= 95), B (>= 85), C (>= 70) or D."""
    return next(grade for floor, grade in GRADES if score >= floor)


def combine(indices: dict[str, float | None], weights: dict[str, float]) -> float:
    """The weighted score [0, 100] of the indices that are not None (100 when none is)."""
    used = {name: value for name, value in indices.items() if value is not None}
    total = sum(weights[name] for name in used)
    if not used or total <= 0:
        return 100.0
    return 100.0 * sum(weights[name] * value for name, value in used.items()) / total


def monthly_scores(
    evaluation: Evaluation, weights: dict[str, float], enterprise_ids: list[int]
) -> list[dict[str, Any]]:
    """Score rows of every enterprise in `enterprise_ids` from a month's `evaluation`."""
    sums: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    received_from: dict[tuple[int, int], int] = defaultdict(int)
    for tally in evaluation.item_days:
        cell = sums[tally.enterprise_id]
        cell["expected"] += tally.expected
        cell["received"] += tally.received
        cell["on_time"] += tally.on_time
        cell["invalid"] += tally.invalid
    rules: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in evaluation.events:
        rules[event.enterprise_id][event.rule] += 1
        if event.rule == "level_shift" and event.item_id is not None:
            for tally in evaluation.item_days:
                if tally.item_id == event.item_id and tally.day >= event.start:
                    received_from[(event.enterprise_id, event.item_id)] += tally.received
    for (enterprise_id, _item), points in received_from.items():
        sums[enterprise_id]["invalid"] += points
    out = []
    for enterprise_id in enterprise_ids:
        found = sums.get(enterprise_id)
        if found is None or not found["expected"]:
            continue
        cell = found
        compared = evaluation.consistency.compared.get(enterprise_id, 0)
        failed = evaluation.consistency.failed.get(enterprise_id, 0)
        received = cell["received"]
        indices: dict[str, float | None] = {
            "completeness": min(1.0, received / cell["expected"]),
            "timeliness": cell["on_time"] / received if received else None,
            "consistency": 1.0 - failed / compared if compared else None,
            "validity": max(0.0, 1.0 - cell["invalid"] / received) if received else None,
        }
        score = round(combine(indices, weights), 2)
        out.append(
            {
                "enterprise_id": enterprise_id,
                "score": score,
                "grade": grade_of(score),
                **{name: indices[name] for name in INDICES},
                "weights": weights,
                "detail": {
                    **{k: int(v) for k, v in cell.items()},
                    "compared": compared,
                    "inconsistent": failed,
                    "events": dict(sorted(rules[enterprise_id].items())),
                },
            }
        )
    return out
