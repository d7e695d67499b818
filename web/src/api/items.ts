// Named types of the data-item API (generated from its OpenAPI document).
import type { components } from './schema'

type Schemas = components['schemas']
export type Item = Schemas['ItemOut']
export type ItemIn = Schemas['ItemIn']
export type ItemPatch = Schemas['ItemPatch']
export type ItemStop = Schemas['ItemStop']
export type CodeProposal = Schemas['CodeProposalOut']
export type Measure = Item['measures']
export type Usage = Item['usage']
export type Stage = Item['stage']
export type ValueKind = Item['value_kind']
export type PeriodName = Item['period']
