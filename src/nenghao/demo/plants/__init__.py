"""The plant templates: each turns a plant's named parameters into its data items.

A template is a parameter model (validated from the city file) and a function of an
`ItemFactory` and those parameters; `TEMPLATES` names them as the city file does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from nenghao.demo.items import ItemFactory
from nenghao.demo.plants.chemicals import ChemicalPlant, chemical_plant
from nenghao.demo.plants.coking import CokingPlant, coking_plant
from nenghao.demo.plants.equipment import EquipmentMaker, equipment_maker
from nenghao.demo.plants.heating import HeatPlant, heat_plant
from nenghao.demo.plants.integrated_steel import IntegratedSteel, integrated_steel
from nenghao.demo.plants.magnesia import (
    FusedMagnesia,
    MagnesiaKiln,
    MagnesiteMine,
    fused_magnesia,
    magnesia_kiln,
    magnesite_mine,
)
from nenghao.demo.plants.params import PlantParams
from nenghao.demo.plants.steel import EafPlant, SteelProcessor, eaf_plant, steel_processor
from nenghao.demo.specs import ItemSpec

P = TypeVar("P", bound=PlantParams)


@dataclass(frozen=True)
class Template(Generic[P]):
    """A plant template: its parameter model and the function that makes its items."""

    params: type[P]
    build: Callable[[ItemFactory, P], tuple[ItemSpec, ...]]

    def items(self, make: ItemFactory, raw: Mapping[str, Any]) -> tuple[ItemSpec, ...]:
        """Validate `raw` parameters (pydantic ValidationError when wrong), make the items."""
        return self.build(make, self.params.model_validate(dict(raw)))


TEMPLATES: dict[str, Template[Any]] = {
    "integrated_steel": Template(IntegratedSteel, integrated_steel),
    "coking_plant": Template(CokingPlant, coking_plant),
    "eaf_plant": Template(EafPlant, eaf_plant),
    "steel_processor": Template(SteelProcessor, steel_processor),
    "fused_magnesia": Template(FusedMagnesia, fused_magnesia),
    "magnesia_kiln": Template(MagnesiaKiln, magnesia_kiln),
    "magnesite_mine": Template(MagnesiteMine, magnesite_mine),
    "equipment_maker": Template(EquipmentMaker, equipment_maker),
    "chemical_plant": Template(ChemicalPlant, chemical_plant),
    "heat_plant": Template(HeatPlant, heat_plant),
}

__all__ = ["TEMPLATES", "PlantParams", "Template"]
