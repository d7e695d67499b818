"""Loading the demo city from its data file into enterprise specs.

`load_city` reads ``data/city.toml``, validates its shape (`nenghao.demo.city_file`), checks
every reference against the standards catalogue and the file's own tables, and builds each
enterprise from its plant template. Any problem raises `CityFileError` naming the file, the
entry and the field.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from nenghao.demo.city_file import CityFile, EnterpriseEntry
from nenghao.demo.items import ItemFactory
from nenghao.demo.metering import MeteredKind, metered_kinds
from nenghao.demo.plants import TEMPLATES
from nenghao.demo.specs import EnterpriseSpec, ItemSpec, ShutdownRule
from nenghao.standards import Catalog, get_catalog
from nenghao.standards.models import Cluster
from nenghao.store.credit_code import CHARSET, make_credit_code


class CityFileError(ValueError):
    """The city file is invalid; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class City:
    """The loaded demo city."""

    enterprises: tuple[EnterpriseSpec, ...]
    """Every fictional enterprise, in file order (their database ids follow it)."""
    showcase_key: str
    district_division: str
    divisions: Mapping[str, str]
    """The city's county-level divisions, code -> Chinese name (from the catalogue)."""
    clusters: Mapping[str, str]
    """Industry cluster code -> Chinese name."""
    kinds: Mapping[str, MeteredKind]

    def enterprise(self, key: str) -> EnterpriseSpec:
        """The enterprise with `key` (KeyError when absent)."""
        for spec in self.enterprises:
            if spec.key == key:
                return spec
        raise KeyError(key)


def organisation_code(key: str) -> str:
    """A stable 9-character organisation code (GB 32100 charset) for an enterprise key."""
    digest = hashlib.sha256(f"nenghao-demo/{key}".encode()).digest()
    return "".join(CHARSET[byte % len(CHARSET)] for byte in digest[:9])


def load_city(path: Path, catalog: Catalog | None = None) -> City:
    """Load and check the city file at `path` against `catalog` (the packaged one by default).

    Raises
    ------
    CityFileError
        The file cannot be read, is not TOML, or an entry or field is wrong.
    """
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CityFileError(f"{path}: cannot read the city file: {exc}") from exc
    try:
        city = CityFile.model_validate(raw)
    except ValidationError as exc:
        raise CityFileError(f"{path}: {_describe(exc, raw)}") from exc
    try:
        return _build(city, catalog or get_catalog())
    except CityFileError as exc:
        raise CityFileError(f"{path}: {exc}") from exc


def _build(city: CityFile, catalog: Catalog) -> City:
    divisions = _divisions(city, catalog)
    unknown_clusters = sorted(set(city.clusters) - set(get_args(Cluster)))
    if unknown_clusters:
        raise CityFileError(f"clusters: {unknown_clusters} are not clusters of the catalogue")
    for name, rule in city.shutdowns.items():
        _known(rule.boundaries, city.boundaries, f"shutdowns.{name}.boundaries", "boundaries")
    try:
        kinds = metered_kinds(city.metering.units, city.metering.heating_value_kinds, catalog)
    except ValueError as exc:
        raise CityFileError(f"metering: {exc}") from exc
    make = ItemFactory(kinds, city.boundaries, city.products)
    specs = tuple(
        _enterprise(city, entry, f"enterprises[{position}] ({entry.key})", make, catalog)
        for position, entry in enumerate(city.enterprises)
    )
    _check_unique(specs)
    keys = {spec.key for spec in specs}
    if city.showcase not in keys:
        raise CityFileError(f"showcase: {city.showcase!r} is not an enterprise key")
    if city.district_division not in divisions:
        raise CityFileError(
            f"district_division: {city.district_division!r} is not a division of the city"
        )
    return City(
        enterprises=specs,
        showcase_key=city.showcase,
        district_division=city.district_division,
        divisions=divisions,
        clusters=dict(city.clusters),
        kinds=kinds,
    )


def _divisions(city: CityFile, catalog: Catalog) -> dict[str, str]:
    divisions = {
        code: division.name_zh
        for code, division in catalog.divisions.items()
        if division.parent == city.city_division
    }
    if not divisions:
        raise CityFileError(
            f"city_division: {city.city_division!r} has no divisions in the standards catalogue"
        )
    return divisions


def _enterprise(
    city: CityFile, entry: EnterpriseEntry, where: str, make: ItemFactory, catalog: Catalog
) -> EnterpriseSpec:
    template = TEMPLATES.get(entry.template)
    defaults = city.templates.get(entry.template)
    if template is None or defaults is None:
        known = sorted(set(TEMPLATES) & set(city.templates))
        raise CityFileError(
            f"{where}.template: unknown template {entry.template!r}; known: {known}"
        )
    division = catalog.divisions.get(entry.division)
    if division is None or division.parent != city.city_division:
        raise CityFileError(
            f"{where}.division: {entry.division!r} is not a division of {city.city_division}"
        )
    industry_code = entry.industry or defaults.industry
    industry = catalog.industries.get(industry_code or "")
    if industry is None:
        raise CityFileError(
            f"{where}.industry: {industry_code!r} is not a GB/T 4754 class of the catalogue"
        )
    if industry.cluster not in city.clusters:
        raise CityFileError(f"{where}.industry: cluster {industry.cluster!r} not in [clusters]")
    try:
        items = template.items(make, {**defaults.plant, **entry.plant})
    except ValidationError as exc:
        raise CityFileError(f"{where}.plant: {_describe(exc, {})}") from exc
    except KeyError as exc:
        raise CityFileError(f"{where}: {exc.args[0]}") from exc
    _check_derive(items, where)
    return EnterpriseSpec(
        key=entry.key,
        name=entry.name,
        name_en=entry.name_en,
        division=entry.division,
        industry=industry.code,
        cluster=industry.cluster,
        profile=defaults.profile,
        address=entry.address,
        items=items,
        shutdowns=_shutdowns(city, entry, where),
        growth=defaults.growth_per_year,
        value_intensity=defaults.tce_per_10k_yuan_output,
        added_share=defaults.added_value_share,
        credit_code=make_credit_code(entry.division, organisation_code(entry.key)),
    )


def _shutdowns(city: CityFile, entry: EnterpriseEntry, where: str) -> tuple[ShutdownRule, ...]:
    names = city.templates[entry.template].shutdowns
    _known(names, city.shutdowns, f"templates.{entry.template}.shutdowns", "shutdowns")
    entries = [city.shutdowns[name] for name in names]
    if entry.maintenance_month is None:
        return tuple(rule.rule() for rule in entries)
    maintenance = [rule for rule in entries if rule.kind == "maintenance"]
    if len(maintenance) != 1:
        raise CityFileError(
            f"{where}.maintenance_month: needs exactly one maintenance stop, "
            f"template {entry.template!r} has {len(maintenance)}"
        )
    return tuple(
        rule.rule(entry.maintenance_month if rule.kind == "maintenance" else None)
        for rule in entries
    )


def _known(names: Sequence[str], table: Mapping[str, object], where: str, section: str) -> None:
    unknown = [name for name in names if name not in table]
    if unknown:
        raise CityFileError(f"{where}: {unknown} not in [{section}]")


def _check_derive(items: tuple[ItemSpec, ...], where: str) -> None:
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        raise CityFileError(f"{where}: item codes {repeated} repeat")
    for item in items:
        missing = [code for code, _ in item.derive if code not in codes]
        if missing:
            raise CityFileError(f"{where}: item {item.code} derives from unknown items {missing}")


def _check_unique(specs: tuple[EnterpriseSpec, ...]) -> None:
    for label, values in (
        ("keys", [spec.key for spec in specs]),
        ("credit codes", [spec.credit_code for spec in specs]),
    ):
        repeated = sorted({value for value in values if values.count(value) > 1})
        if repeated:
            raise CityFileError(f"enterprises: {label} {repeated} repeat")


def _describe(exc: ValidationError, raw: Any) -> str:
    """Every pydantic error as ``location: message``; list entries show their key."""
    messages = []
    for error in exc.errors():
        location = _location(error["loc"], raw)
        messages.append(f"{location}: {error['msg']}" if location else error["msg"])
    return "; ".join(messages)


def _location(loc: tuple[int | str, ...], raw: Any) -> str:
    text, node = "", raw
    for part in loc:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
            key = node.get("key") if isinstance(node, dict) else None
            text += f"[{part}]" + (f" ({key})" if key else "")
        else:
            node = node.get(part) if isinstance(node, dict) else None
            text += f".{part}" if text else str(part)
    return text
