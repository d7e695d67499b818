"""Numbers written with other scripts' digits (full-width, Arabic-Indic, superscript) are
refused wherever the API reads a number from text, not read as the ASCII number."""

from __future__ import annotations

import pytest
from api_support import assert_error_shape

CASES = [
    ("/api/v1/stats/consumption?period=２０２５", "invalid_period"),
    ("/api/v1/stats/consumption?period=2025-٠٣", "invalid_period"),
    ("/api/v1/quality/scores?month=２０２５-０３", "invalid_period"),
    (
        "/api/v1/convert?value=1&unit=t&energy=raw_coal&heating_value=５０００ kcal/kg",
        "invalid_heating_value",
    ),
    ("/api/v1/convert?value=１２００&unit=t&energy=raw_coal", "validation_error"),
]


@pytest.mark.parametrize(("url", "code"), CASES)
def test_non_ascii_digits_are_refused(client, world, url, code) -> None:
    assert_error_shape(client.get(url, headers=world.headers("admin")), 422, code)
