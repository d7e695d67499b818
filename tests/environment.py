"""What the tests may leave out: outside CI a missing tool is a skip, in CI a failure."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_outside_ci(reason: str) -> NoReturn:
    """Skip with `reason` outside CI; in CI (``CI=true``) fail with it instead."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(f"outside CI: {reason}")
