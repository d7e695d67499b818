"""The browser session is an HttpOnly cookie; writes carry the CSRF token; CSP holds."""

from __future__ import annotations

import re

import httpx

from .web_helpers import Server, login, settle


def test_session_cookie_is_out_of_reach_of_scripts_and_survives_a_reload(page, server) -> None:
    login(page, server, "regulator")
    cookies = {c["name"]: c for c in page.context.cookies()}
    session, csrf = cookies["nenghao_session"], cookies["nenghao_csrf"]
    assert session["httpOnly"] is True
    assert session["sameSite"] == "Strict"
    assert csrf["httpOnly"] is False
    readable = page.evaluate("document.cookie")
    assert "nenghao_session" not in readable
    assert "nenghao_csrf" in readable
    stored = page.evaluate("JSON.stringify([{...localStorage}, {...sessionStorage}])")
    assert session["value"] not in stored
    assert "token" not in stored
    page.reload()
    page.get_by_test_id("role").wait_for()
    settle(page)
    assert "/login" not in page.url
    # A write without the CSRF header is refused; the dashboard's own writes send it.
    refused = page.evaluate("fetch('/api/v1/auth/logout', {method: 'POST'}).then(r => r.json())")
    assert refused["error"]["code"] == "csrf_failed"
    page.get_by_test_id("logout").click()
    page.wait_for_url(re.compile(r"/login"))
    assert "nenghao_session" not in {c["name"] for c in page.context.cookies()}
    old = {"Cookie": f"nenghao_session={session['value']}"}
    me = httpx.get(f"{server.url}/api/v1/auth/me", headers=old)
    assert me.json()["error"]["code"] == "token_revoked"


def test_api_docs_work_offline_under_the_content_security_policy(page, server: Server) -> None:
    response = page.goto("/api/v1/docs")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 50
    assert page.locator(".info .title").first.inner_text().startswith("nenghao")


def test_chart_tooltips_render_under_the_content_security_policy(page, server) -> None:
    """ECharts writes its tooltips as HTML with style attributes (style-src-attr)."""
    login(page, server, "regulator")
    settle(page)
    box = page.locator("canvas").first.bounding_box()
    tooltip = page.locator("div[style*='z-index: 9999999']")
    for fraction in (0.3, 0.5, 0.7):
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
    tooltip.first.wait_for()
    marker = tooltip.first.locator("span[style*='border-radius']").first
    assert marker.evaluate("e => getComputedStyle(e).borderRadius") != "0px"
