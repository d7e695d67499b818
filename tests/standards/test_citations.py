"""Every source of a coefficient or factor has a one-line Chinese citation: the standard's
number and clause, no web addresses, no English sentences."""

from __future__ import annotations

import re
import tomllib

import pytest

from nenghao.standards import DATA_DIR
from nenghao.standards.citations import UNCITED, cited

FILES = ("energy_kinds.toml", "equal_value.toml", "emission_factors.toml", "process_emissions.toml")
LATIN_ALLOWED = {"GB", "T", "A", "B", "IPCC", "kgce", "kJ", "MgCO"}


def _sources(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["source"]] if isinstance(node.get("source"), str) else []
        return found + [s for value in node.values() for s in _sources(value)]
    if isinstance(node, list):
        return [s for value in node for s in _sources(value)]
    return []


SOURCES = sorted(
    {s for name in FILES for s in _sources(tomllib.loads((DATA_DIR / name).read_text()))}
)


@pytest.mark.parametrize("source", SOURCES)
def test_each_coefficient_source_is_cited_in_one_chinese_line(source):
    line = cited(source)
    assert line != UNCITED
    assert "\n" not in line
    assert len(line) <= 60
    assert "http" not in line
    assert set(re.findall(r"[A-Za-z]+", line)) <= LATIN_ALLOWED


def test_citations_by_prefix_and_by_number():
    annex_a = "GB/T 2589-2020, Annex A reference coefficients, as reproduced on public pages"
    assert cited(annex_a) == "GB/T 2589-2020 附录A"
    assert cited("see GB 21256-2025, Table 5, and 发改运行〔2022〕1258号") == (
        "GB 21256-2025；发改运行〔2022〕1258号"
    )
    assert cited("中电联 2024年电力统计快报") == "中电联 2024年电力统计快报"
    assert cited("a value someone typed") == UNCITED
