"""Item discovery (protocol §11): the enterprise's approved items, read from the platform
with a device-signed ``GET /api/v1/uplink/items``, and the configuration checked against them.

When the platform can be reached, an item code of ``[[items]]`` that the platform does not
list (unknown, not approved, or inactive: its records would be refused as ``unknown_item`` or
``item_not_approved``) and an item the platform registers as an interval item (the gateway
sends ``register`` records only) are refused with the file, line and reason. When it cannot
be reached, the configuration's own ``[[items]]`` stand (the offline fallback) and the reason
is returned for a warning.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import httpx

from nenghao.gateway.config import ConfigError, GatewayConfig, Problem
from nenghao.gateway.signing import ITEMS_PATH, request_headers
from nenghao.gateway.toml_lines import LineIndex

PAGE_SIZE = 200
"""The largest page the platform serves (§11)."""


class Unreachable(Exception):  # noqa: N818 - named for what it says
    """The platform could not be asked (network, or an answer other than 200)."""


def make_client(config: GatewayConfig) -> httpx.Client:
    """An HTTP client for the platform's device routes (timeout, CA file)."""
    platform = config.platform
    verify: Any = str(config.resolve(platform.ca_file)) if platform.ca_file else True
    return httpx.Client(timeout=platform.timeout_s, verify=verify)


def signed_get(config: GatewayConfig, secret: bytes, client: httpx.Client, target: str) -> Any:
    """The JSON answer of a device-signed ``GET`` of `target` (path and query, §6, §11)."""
    prefix = urlsplit(config.platform.url).path or ""
    headers = request_headers(
        config.platform.key_id, secret, prefix + target, b"", int(time.time()), method="GET"
    )
    try:
        response = client.get(config.platform.url + target, headers=headers)
    except httpx.HTTPError as exc:
        raise Unreachable(f"{exc.__class__.__name__}: {exc}") from None
    if response.status_code != 200:
        raise Unreachable(f"{target}: HTTP {response.status_code} {response.text[:200]}")
    return response.json()


def platform_items(
    config: GatewayConfig, secret: bytes, client: httpx.Client
) -> dict[str, dict[str, Any]]:
    """Every item the platform accepts data for, by code (all pages)."""
    found: dict[str, dict[str, Any]] = {}
    page = 1
    while True:
        answer = signed_get(
            config, secret, client, f"{ITEMS_PATH}?page={page}&page_size={PAGE_SIZE}"
        )
        for item in answer.get("items", []):
            found[str(item["code"])] = item
        if page * PAGE_SIZE >= int(answer.get("total", 0)):
            return found
        page += 1


def item_problems(config: GatewayConfig, items: dict[str, dict[str, Any]]) -> list[Problem]:
    """What in the configuration's ``[[items]]`` the platform's `items` refuse, with lines."""
    lines = LineIndex(config.path.read_text(encoding="utf-8"))
    problems = []
    for index, (code, spec) in enumerate(config.items.items()):
        where = lines.line(("items", index, "code"))
        known = items.get(code)
        if known is None:
            problems.append(
                Problem(
                    where,
                    f"unknown item code {code!r}: the platform does not list it among the"
                    " enterprise's approved items (GET /api/v1/uplink/items); register it and"
                    " have the collection plan approved, or correct the code",
                )
            )
        elif known.get("value_kind") != "register":
            problems.append(
                Problem(
                    where,
                    f"item {code!r} is an interval item on the platform; the gateway sends"
                    " cumulative register readings",
                )
            )
        elif known.get("period") != spec.period:
            problems.append(
                Problem(
                    lines.line(("items", index, "period")),
                    f"item {code!r}: period {spec.period} here, {known.get('period')} on"
                    " the platform",
                )
            )
    return problems


def check_against_platform(
    config: GatewayConfig, secret: bytes, client: httpx.Client | None = None
) -> str | None:
    """Check the configuration against the platform's items.

    Returns
    -------
    str or None
        None when checked; else why the platform could not be asked (offline fallback).

    Raises
    ------
    ConfigError
        With each refused item, by line.
    """
    own = client or make_client(config)
    try:
        items = platform_items(config, secret, own)
    except Unreachable as exc:
        return str(exc)
    finally:
        if client is None:
            own.close()
    problems = item_problems(config, items)
    if problems:
        raise ConfigError(config.path, problems)
    return None
