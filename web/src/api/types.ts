// Named types of the API. Those the OpenAPI document describes come from the generated
// schema; catalogue sections and the conversion answer are described there only as objects
// (dict[str, Any]), so their shapes are written here after the API's serializers.
import type { components } from './schema'

type Schemas = components['schemas']
export type Enterprise = Schemas['EnterpriseOut']
export type EnterprisePage = Schemas['PageOut_EnterpriseOut_']
export type User = Schemas['UserOut']
export type UserIn = Schemas['UserIn']
export type UserPatch = Schemas['UserPatch']
export type UserPage = Schemas['PageOut_UserOut_']
export type Device = Schemas['DeviceOut']
export type DeviceIssued = Schemas['DeviceIssued']
export type AuditEntry = Schemas['AuditOut']
export type AuditPage = Schemas['PageOut_AuditOut_']
export type Me = Schemas['MeOut']
export type LoginOut = Schemas['LoginOut']
export type Role = User['role']
export type KeyUnitLevel = Enterprise['key_unit_level']

export const ROLES: Role[] = ['admin', 'regulator', 'district', 'enterprise', 'auditor']
export const KEY_UNIT_LEVELS: KeyUnitLevel[] = ['key', 'designated', 'none']

export type Status = 'confirmed' | 'unverified' | string

/** A value with unit, source and status (standards). */
export interface Sourced {
  value: number
  unit: string
  source: string
  status: Status
  valid_from: string | null
  valid_to: string | null
  note: string | null
}

export interface EnergyKind {
  code: string
  name_zh: string
  name_en: string
  aliases: string[]
  category: string
  unit: string
  coefficient: Sourced | null
  heating_value: Sourced | null
  coefficient_min: number | null
  coefficient_max: number | null
  fossil: boolean
}

export interface Quota {
  product: string
  product_name_zh: string
  product_name_en: string
  standard: string
  title: string
  valid_from: string | null
  valid_to: string | null
  unit: string
  levels: Record<string, number>
  local: boolean
  source: string
  status: Status
  note: string | null
}

export interface EmissionFactor {
  kind: string
  region: string | null
  series: string | null
  year_from: number | null
  year_to: number | null
  value: number
  unit: string
  source: string
  status: Status
  valid_from: string | null
  valid_to: string | null
  note: string | null
  [key: string]: unknown
}

export interface Division {
  code: string
  name_zh: string
  name_en: string
  level: string
  parent: string | null
  source: string
  status: Status
  note: string | null
}

export interface Industry {
  code: string
  name_zh: string
  name_en: string
  cluster: string | null
  two_high: string | null
  source: string
  status: Status
  note: string | null
}

export interface CatalogSection<T> {
  section: string
  count: number
  items: T[]
}

export interface Conversion {
  energy: { code: string; name_zh: string; name_en: string }
  kgce: number
  tce: number
  quantity_canonical: number
  canonical_unit: string
  coefficient: number
  coefficient_unit: string
  basis: 'equivalent' | 'equal'
  source: string
  status: Status
  edition: string | null
  year: number | null
  method: string
  note: string | null
  input: { value: number; unit: string; energy: string }
}
