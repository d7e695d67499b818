"""The assessment's public functions and models read as numpydoc, cite their sources and give
the unit of every number."""

from __future__ import annotations

import importlib
import inspect
import re
import warnings
from typing import Any

import pytest
from numpydoc.docscrape import NumpyDocString
from pydantic import BaseModel

#: The modules of the pure assessment (the register and workflow modules are not walked).
MODULES = ("assessment", "facts", "rules", "products", "emissions", "caveats")
UNIT = re.compile(r"\[(?!\d+\])[^\]]+\]")


def _public() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name in MODULES:
        module = importlib.import_module(f"nenghao.review.{name}")
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj) or (inspect.isclass(obj) and issubclass(obj, BaseModel)):
                found[f"{module.__name__}.{attr}"] = obj
    return found


PUBLIC = _public()


def _doc(obj: Any) -> NumpyDocString:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return NumpyDocString(inspect.getdoc(obj) or "")


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_documented_with_sources_and_units(name: str) -> None:
    obj = PUBLIC[name]
    doc = _doc(obj)
    assert (
        doc["References"]
        or "no standard clause applies" in " ".join(doc["Notes"])
        or ("Article" in " ".join(doc["Notes"]))
    ), f"{name}: no References"
    if inspect.isclass(obj):
        documented = {p.name: p.type for p in doc["Attributes"]}
        fields = {f: str(info.annotation) for f, info in obj.model_fields.items()}
    else:
        documented = {p.name.lstrip("*"): p.type for p in doc["Parameters"]}
        fields = {p: str(v.annotation) for p, v in inspect.signature(obj).parameters.items()}
    for field, annotation in fields.items():
        assert field in documented, f"{name}: {field} is not documented"
        if "float" in annotation:
            assert UNIT.search(documented[field]), f"{name}: {field} has no [unit]"
