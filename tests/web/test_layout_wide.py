"""Layout at 1440 px: the division and industry tables show every column, the 同比 column
included, without a horizontal scroll; in the target form each label and each unit stays
within its field's row."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from .web_helpers import Server, login, settle, shoot

# The boxes of the table and of the 同比 column (header and body cells), and the table's
# horizontal scroll: the body's scroll width against its visible width.
YOY_BOXES = """(table, header) => {
  const box = (el) => {
    const r = el.getBoundingClientRect()
    return [r.left, r.top, r.right, r.bottom]
  }
  const headers = [...table.querySelectorAll('.el-table__header-wrapper th')]
  const index = headers.findIndex((th) => th.innerText.trim() === header)
  const column = [...headers[index].classList].find((c) => /_column_\\d+$/.test(c))
  const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
  return {
    index,
    table: box(table),
    cells: [...table.querySelectorAll(`.${column}`)].map(box),
    scrollWidth: wrap.scrollWidth,
    clientWidth: wrap.clientWidth,
    scrollLeft: wrap.scrollLeft,
  }
}"""

# For each field of a form: the box of its row and the box of its label's text (a Range
# over the text, so text that overflows its label element is measured where it is drawn).
FORM_BOXES = """(form) => [...form.querySelectorAll('.el-form-item')].map((item) => {
  const label = item.querySelector('.el-form-item__label')
  const range = document.createRange()
  range.selectNodeContents(label)
  const text = range.getBoundingClientRect()
  const row = item.getBoundingClientRect()
  const unit = item.querySelector('[data-testid=tf-unit]')
  const u = unit ? unit.getBoundingClientRect() : null
  return {
    label: label.innerText.trim(),
    unit: unit ? unit.innerText.trim() : null,
    row: [row.left, row.top, row.right, row.bottom],
    text: [text.left, text.top, text.right, text.bottom],
    unitBox: u ? [u.left, u.top, u.right, u.bottom] : null,
  }
})"""


def inside(inner: list[float], outer: list[float]) -> bool:
    """Whether the box `inner` lies within `outer` (half a pixel of rounding allowed)."""
    left, top, right, bottom = inner
    return (
        left >= outer[0] - 0.5
        and top >= outer[1] - 0.5
        and right <= outer[2] + 0.5
        and bottom <= outer[3] + 0.5
    )


def test_breakdown_tables_fit_at_1440(page: Any, server: Server) -> None:
    assert page.viewport_size["width"] == 1440
    login(page, server, "regulator")
    for language, header in (("zh", "同比增减"), ("en", "YoY")):
        if language == "en":
            page.get_by_test_id("language").click()
            page.get_by_role("option", name="English").click()
            page.locator("html[lang=en]").wait_for(state="attached")
        for by, path in (("division", "/analysis/divisions"), ("industry", "/analysis/industries")):
            page.goto(path)
            settle(page)
            check_fits(page, by, header)
            shoot(page, f"layout-1440-{by}-{language}")


def check_fits(page: Any, by: str, header: str) -> None:
    """The breakdown table on the page shows its 同比 column without a horizontal scroll."""
    table = page.get_by_test_id("breakdown-table")
    table.locator(".el-table__body tr").first.wait_for()
    boxes = table.evaluate(YOY_BOXES, header)
    assert boxes["index"] == 7, boxes
    assert boxes["scrollLeft"] == 0
    assert boxes["scrollWidth"] <= boxes["clientWidth"], f"{by}: the table scrolls: {boxes}"
    rows = table.locator(".el-table__body tr").count()
    assert len(boxes["cells"]) == rows + 1  # the header and one cell per row
    outside = [cell for cell in boxes["cells"] if not inside(cell, boxes["table"])]
    assert not outside, f"{by}: 同比 cells outside the table {boxes['table']}: {outside}"
    # Nothing is hidden: no number is cut off in its cell.
    cut = table.locator(".el-table__body td .cell").evaluate_all(
        "(cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).map((c) => c.innerText)"
    )
    assert not cut, f"{by}: cut cell texts {cut}"


UNITS = {
    "zh": {
        "能源消费总量（考核值）": "tce",
        "能耗强度": "tce/万元",
        "二氧化碳排放总量": "tCO2",
        "碳排放强度": "tCO2/万元",
        "可再生电力 2020 年基数": "kWh",
    },
    "en": {
        "Total energy (assessed)": "tce",
        "Energy intensity": "tce/万元",
        "Total CO2": "tCO2",
        "Carbon intensity": "tCO2/万元",
        "Renewable electricity 2020 base": "kWh",
    },
}


def test_target_form_labels_stay_in_their_rows_at_1440(page: Any, server: Server) -> None:
    assert page.viewport_size["width"] == 1440
    login(page, server, "regulator")
    for language in ("zh", "en"):
        page.goto("/targets")
        settle(page)
        if language == "en":
            page.get_by_test_id("language").click()
            page.get_by_role("option", name="English").click()
            page.locator("html[lang=en]").wait_for(state="attached")
        page.get_by_test_id("target-new").click()
        form = page.get_by_test_id("target-dialog").locator("form")
        first = next(iter(UNITS[language]))
        form.get_by_label(f"{first} (tce)").wait_for()
        # The dialog's opening transition has ended (its boxes no longer move).
        page.wait_for_function("() => !document.querySelector('.dialog-fade-enter-active')")
        check_rows(form.evaluate(FORM_BOXES), UNITS[language])
        shoot(page, f"layout-1440-target-form-{language}")


def check_rows(fields: list[dict[str, Any]], units: dict[str, str]) -> None:
    """Each unit and each label lies within its field's row; the rows do not overlap."""
    assert {f["label"]: f["unit"] for f in fields if f["unit"]} == units, fields
    spilled = [f for f in fields if f["unit"] and not inside(f["unitBox"], f["row"])]
    assert not spilled, f"units outside their rows: {spilled}"
    spilled = [f for f in fields if not inside(f["text"], f["row"])]
    assert not spilled, f"labels outside their rows: {spilled}"
    rows = [(f["row"][1], f["row"][3]) for f in fields]
    assert all(below[0] >= above[1] - 0.5 for above, below in pairwise(rows)), rows
