"""One kiln retrofit from its registration on the form to its verified-savings report, in
Chinese, as the enterprise that owns the kiln.

The kiln's two monthly items (raw coal in, light-burned magnesia out) are registered and their
readings written through the item store and the ingest writer into the served city's database:

- baseline 2024-01 … 2024-12: output 1000 + 100·k t (k = 0 … 11), coal 0.2 t/t · output + 50 t;
- installation 2025-01;
- reporting 2025-02 … 2025-07: output 1500 t a month, coal 0.15 t/t · 1500 + 50 = 275 t.

Worked by hand (raw coal 0.7143 tce/t, GB/T 2589-2020): the baseline fits exactly
(coal = 0.2·output + 50, CV(RMSE) 0 %), so the model is accepted. Adjusted baseline over the
six reporting months: 6 × (0.2·1500 + 50) = 6 × 350 = 2100 t; actual 6 × 275 = 1650 t;
avoided 450 t × 0.7143 = 321.435 tce in six months, × 12/6 = 642.87 tce/a. Claimed
1285.74 tce/a, so verified / claimed = 642.87 / 1285.74 = 50 % < 80 %: flagged.
"""

from __future__ import annotations

from datetime import date

from .web_helpers import Server, login, settle, shoot

BASELINE = [(2024, month) for month in range(1, 13)]
REPORTING = [(2025, month) for month in range(2, 8)]
NAME = "5号轻烧窑改造（反射窑改悬浮窑）"


def _seed_kiln(server: Server, enterprise: int) -> tuple[str, str]:
    """The kiln's coal and output items with their monthly readings; their names."""
    from nenghao.ingest.writer import SlotWrite, write_slots
    from nenghao.standards.calendar import month_start
    from nenghao.store import items
    from nenghao.store.engine import make_engine
    from nenghao.store.scope import Scope

    made = {key: 1000.0 + 100.0 * k for k, key in enumerate(BASELINE)}
    made |= dict.fromkeys(REPORTING, 1500.0)
    burnt = {key: 0.2 * made[key] + 50.0 for key in BASELINE}
    burnt |= {key: 0.15 * made[key] + 50.0 for key in REPORTING}
    kinds = [
        ({"name": "5号窑原煤", "measures": "energy", "usage": "consumption"}, "raw_coal", burnt),
        (
            {
                "name": "5号窑轻烧镁产量",
                "measures": "product",
                "usage": "production",
                "product_code": "light_burned_magnesia",
            },
            None,
            made,
        ),
    ]
    engine = make_engine(f"sqlite:///{(server.data_dir / 'nenghao.db').resolve()}")
    names = []
    try:
        with engine.begin() as conn:
            for values, kind, monthly in kinds:
                row = items.create(
                    conn,
                    Scope.all(),
                    enterprise,
                    {**values, "energy_kind": kind, "unit": "t", "period": "month"},
                    actor="test",
                    valid_from=date(2023, 1, 1),
                    approved=True,
                )
                writes = [
                    SlotWrite(tag, row["id"], "month", month_start(y, m), value)
                    for tag, ((y, m), value) in enumerate(monthly.items())
                ]
                write_slots(
                    conn, writes, source="test", received_at=0, rolled_periods={row["id"]: "month"}
                )
                names.append(str(row["name"]))
    finally:
        engine.dispose()
    return names[0], names[1]


def _choose(page, testid: str, text: str) -> None:
    """Open the select `testid` and click its option containing `text`."""
    page.get_by_test_id(testid).click()
    shown = page.locator(".el-popper[aria-hidden=false] .el-select-dropdown__item", has_text=text)
    shown.last.click()


def _month(page, testid: str, month: str) -> None:
    field = page.locator(f"input#{testid}")
    field.fill(month)
    field.press("Enter")


def test_a_kiln_retrofit_from_registration_to_its_verified_saving(page, server: Server) -> None:
    enterprise = server.api("enterprise", "/auth/me")["scope"]["enterprise_id"]
    coal, output = _seed_kiln(server, enterprise)
    login(page, server, "enterprise")
    page.goto("/carbon/retrofits")
    settle(page)
    page.get_by_test_id("retrofit-register").click()
    dialog = page.get_by_test_id("retrofit-dialog")
    dialog.get_by_test_id("rf-name").fill(NAME)
    _choose(page, "rf-energy-items", coal)
    page.keyboard.press("Escape")
    _choose(page, "rf-product-item", output)
    periods = {
        "baseline": ("2024-01", "2024-12"),
        "installation": ("2025-01", "2025-01"),
        "reporting": ("2025-02", "2025-07"),
    }
    for name, (first, last) in periods.items():
        _month(page, f"rf-{name}-from", first)
        _month(page, f"rf-{name}-to", last)
    dialog.get_by_test_id("rf-claimed").locator("input").fill("1285.74")
    dialog.get_by_test_id("rf-investment").locator("input").fill("860")
    dialog.get_by_test_id("rf-kilnBefore").fill("反射窑")
    dialog.get_by_test_id("rf-kilnAfter").fill("悬浮窑")
    shoot(page, "retrofit-register")
    dialog.get_by_test_id("rf-save").click()
    page.wait_for_url(lambda url: "/carbon/retrofits/" in url)
    settle(page)
    retrofit = page.get_by_test_id("retrofit")
    assert retrofit.get_attribute("data-status") == "verified"
    assert page.get_by_test_id("model-verdict").get_attribute("data-accepted") == "true"
    assert page.get_by_test_id("cvrmse").inner_text().startswith("0.0 %")
    savings = page.get_by_test_id("savings")
    # 642.87 tce/a, worked by hand in the module docstring
    assert abs(float(savings.get_attribute("data-annual")) - 642.87) < 1e-6
    figures = savings.inner_text()
    assert "321.4" in figures  # in the six reporting months
    assert "642.9" in figures  # per year
    text = retrofit.inner_text()
    assert "申报 1,285.7 tce/年，核验为申报值的 50 %" in text
    assert page.get_by_test_id("claim-flagged").is_visible()
    shoot(page, "retrofit-verified")
    with page.expect_download() as download:
        page.get_by_test_id("retrofit-pdf").click()
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    entry = page.url.rstrip("/").rsplit("/", 1)[-1]
    answer = page.request.get(f"/api/v1/retrofits/{entry}/report.pdf")
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/pdf"
