"""The accounting functions and result models cite their standard and give their units.

Every public function and pydantic model in ``nenghao.accounting`` is found by walking the
package, its docstring is read with numpydoc (a docstring numpydoc cannot read fails), and:

* its References name a standard with its edition and a place in it
  (``GB/T 2589-2020, 3.9``, ``GB 21342-2025, clause 4``, ``2006 IPCC Guidelines, Vol. 2``);
* every parameter (attribute, for a model) is documented, and each float one carries its
  unit in brackets (``quantity : float [unit]``);
* a function returning a number or one of these models gives the unit of what it returns.

Exceptions are not walked: they name the rule that was broken, not a quantity.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
import typing
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from numpydoc.docscrape import NumpyDocString, Parameter
from pydantic import BaseModel

import nenghao.accounting

#: A standard with its edition, then a comma and a place in it: a clause or table number,
#: ``clause``, ``Annex``, ``Vol.``, or a section title in Chinese.
CITATION = re.compile(
    r"(?:GB(?:/T)?\s?\d+(?:\.\d+)*-\d{4}|\d{4} IPCC Guidelines|ISO \d+(?:-\d+)*:\d{4}|IPMVP)"
    r"[^,]{0,40},\s*(?:\d|clause|Annex|Table|Vol\.|[\u4e00-\u9fff])"
)

#: A unit in brackets: ``[kgce/t]``, ``[unit]``, ``[unitless]``; not ``[1]``, which reads as
#: a citation of References entry 1.
UNIT = re.compile(r"\[(?!\d+\])[^\]]+\]")

#: Input checks with no standard behind them; their docstrings say so in Notes.
NO_STANDARD = {
    "nenghao.accounting.units.require_finite",
    "nenghao.accounting.units.check_same_dimension",
}


def _modules() -> Iterator[types.ModuleType]:
    package = nenghao.accounting
    yield package
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        yield importlib.import_module(info.name)


def _public(predicate: Callable[[Any], bool]) -> dict[str, Any]:
    """Public objects defined in the accounting modules, by qualified name."""
    found: dict[str, Any] = {}
    for module in _modules():
        for name, obj in vars(module).items():
            if name.startswith("_") or not predicate(obj):
                continue
            if obj.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = obj
    return found


FUNCTIONS = _public(inspect.isfunction)
CLASSES = _public(inspect.isclass)
MODELS = {name: cls for name, cls in CLASSES.items() if issubclass(cls, BaseModel)}


def _parse(obj: Any) -> NumpyDocString:
    """The numpydoc reading of ``obj``'s docstring; any numpydoc warning is an error."""
    text = inspect.getdoc(obj)
    assert text, "no docstring"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return NumpyDocString(text)


def _by_name(entries: list[Parameter]) -> dict[str, Parameter]:
    return {name: entry for entry in entries for name in entry.name.split(", ")}


def _union_of_float(hint: object) -> bool:
    """``float`` or an optional float."""
    if hint is float:
        return True
    union = typing.get_origin(hint) in (typing.Union, types.UnionType)
    return union and float in typing.get_args(hint)


def _mentions_float(hint: object) -> bool:
    """``hint`` is or contains float (``tuple[float, str]``, ``dict[str, float]``)."""
    return hint is float or any(_mentions_float(arg) for arg in typing.get_args(hint))


def _is_model(hint: object) -> bool:
    return inspect.isclass(hint) and issubclass(hint, BaseModel)


def _assert_cites_standard(name: str, doc: NumpyDocString) -> None:
    references = " ".join(doc["References"])
    assert CITATION.search(references), (
        f"{name}: References must name a standard, its edition and a clause or section "
        f"(e.g. 'GB/T 2589-2020, 3.9'); got {references!r}"
    )


def test_the_walk_finds_the_accounting_api() -> None:
    # The package's exported functions and models are all among those walked.
    exported = {getattr(nenghao.accounting, name) for name in nenghao.accounting.__all__}
    walked = set(FUNCTIONS.values()) | set(MODELS.values())
    api = {obj for obj in exported if inspect.isfunction(obj) or _is_model(obj)}
    assert len(api) >= 25
    assert api <= walked
    assert len(FUNCTIONS) >= 20
    assert len(MODELS) >= 10


def test_every_public_class_is_a_model_or_an_exception() -> None:
    others = [name for name, cls in CLASSES.items() if not issubclass(cls, BaseModel | Exception)]
    assert others == []


def test_helpers_without_a_standard_say_so() -> None:
    assert set(FUNCTIONS) >= NO_STANDARD
    for name in NO_STANDARD:
        doc = _parse(FUNCTIONS[name])
        assert "no standard clause applies" in " ".join(doc["Notes"]), name


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_docstring_cites_its_standard_and_units(name: str) -> None:
    func = FUNCTIONS[name]
    doc = _parse(func)
    if name not in NO_STANDARD:
        _assert_cites_standard(name, doc)

    hints = typing.get_type_hints(func)
    signature = inspect.signature(func).parameters
    documented = _by_name(doc["Parameters"])
    assert set(documented) == set(signature), f"{name}: Parameters do not match the signature"
    for param in signature:
        if _union_of_float(hints[param]):
            entry = documented[param]
            assert UNIT.search(entry.type), (
                f"{name}: float parameter {param!r} needs its unit in brackets, "
                f"e.g. '{param} : float [kWh]'; got {entry.type!r}"
            )

    returned = hints["return"]
    if returned is type(None):
        assert not doc["Returns"], f"{name} returns None: no Returns section"
        return
    assert doc["Returns"], f"{name}: Returns section missing"
    if _mentions_float(returned) or returned in MODELS.values():
        text = " ".join(f"{entry.type} {' '.join(entry.desc)}" for entry in doc["Returns"])
        assert UNIT.search(text), f"{name}: Returns must give the unit in brackets"


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_docstring_cites_its_standard_and_units(name: str) -> None:
    model = MODELS[name]
    doc = _parse(model)
    _assert_cites_standard(name, doc)
    documented = _by_name(doc["Attributes"])
    assert set(documented) == set(model.model_fields), f"{name}: Attributes do not match fields"
    for field, info in model.model_fields.items():
        if _mentions_float(info.annotation):
            assert UNIT.search(documented[field].type), (
                f"{name}: float field {field!r} needs its unit in brackets; "
                f"got {documented[field].type!r}"
            )
