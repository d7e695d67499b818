// Named types of the collection-plan API (generated from its OpenAPI document).
import type { components } from './schema'

type Schemas = components['schemas']
export type Plan = Schemas['PlanOut']
export type PlanStatus = Plan['status']
export type PlanVersion = Schemas['PlanVersionOut']
export type PlanListed = Schemas['PlanListed']
export type PlanCounts = Schemas['PlanCountsOut']
