// Named types of the carbon-peak pathway API (碳达峰路径), generated from the OpenAPI document.
import type { components } from './schema'

type Schemas = components['schemas']
export type PathwayAnswer = Schemas['PathwayOut']
export type ScenarioDetail = Schemas['ScenarioDetail']
export type ScenarioIn = Schemas['ScenarioIn']
export type AssumptionIn = Schemas['AssumptionIn']
export type AssumptionRow = Schemas['AssumptionOut']
export type MeasureIn = Schemas['MeasureIn']
export type MeasureRow = Schemas['MeasureOut']
export type Decomposition = Schemas['DecompositionOut']
export type Tracking = Schemas['TrackingOut']
export type Effect = Schemas['Effect']['effect']
export type Parameter = AssumptionIn['parameter']
export type MeasureKind = MeasureIn['kind']

export const SECTORS = ['steel', 'magnesia', 'equipment', 'chemicals', 'rest'] as const
export const SOURCES = ['fuels', 'electricity', 'heat', 'process'] as const
export const EFFECTS: Effect[] = ['activity', 'structure', 'intensity', 'carbon_factor']
export const PARAMETERS: Parameter[] = ['output_growth', 'intensity_change', 'grid_factor_change']
export const MEASURE_KINDS: MeasureKind[] = ['retrofit', 'fuel_switch', 'renewable_electricity', 'capacity_change']
