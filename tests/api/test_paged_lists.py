"""Every listing that can grow without bound is answered a page at a time."""

from __future__ import annotations

import re

from routes import api_routes, sample_query

BOUNDED = {
    # Reference data and fixed rule sets: their size does not grow with use.
    "/api/v1/catalog/energy-kinds",
    "/api/v1/catalog/quotas",
    "/api/v1/catalog/emission-factors",
    "/api/v1/catalog/divisions",
    "/api/v1/catalog/industries",
    "/api/v1/alerts/rules",
    "/api/v1/quality/rules",
    "/api/v1/catalog/reasons",
}


def test_every_listing_is_paged(client, world) -> None:
    headers = world.headers("admin")
    listings, unpaged = [], []
    for method, path, route in api_routes(client.app):
        if method != "GET" or path in BOUNDED:
            continue
        target = re.sub(
            r"\{[^}]+\}", lambda m: world.fill("{a}") if "enterprise" in m[0] else "1", path
        )
        response = client.get(target, params=sample_query(route), headers=headers)
        body = (
            response.json() if response.headers.get("content-type") == "application/json" else None
        )
        if response.status_code != 200 or not isinstance(body, list | dict):
            continue
        if isinstance(body, list) or isinstance(body.get("items"), list):
            listings.append(path)
            if isinstance(body, list) or not {"page", "page_size", "total"} <= set(body):
                unpaged.append(path)
    assert len(listings) >= 10, listings
    assert unpaged == []


def test_paged_listings_honour_the_page_size(client, world) -> None:
    headers = world.headers("admin")
    url = world.fill("/api/v1/enterprises/{a}/devices")
    for label in ("gw-2", "gw-3"):
        client.post(url, json={"label": label}, headers=headers)
    first = client.get(url, params={"page_size": 2}, headers=headers).json()
    second = client.get(url, params={"page": 2, "page_size": 2}, headers=headers).json()
    assert (first["total"], first["page"], len(first["items"])) == (3, 1, 2)
    assert (second["page"], [d["label"] for d in second["items"]]) == (2, ["gw-3"])
