"""Fixtures of the ingest tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from message_builders import BodyFactory, message, record


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    return record


@pytest.fixture
def make_message() -> BodyFactory:
    return message
