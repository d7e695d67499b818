// Shapes of the statistics, targets and import answers. The OpenAPI document describes these
// routes as plain objects (dict[str, Any]), so their fields are written here after
// nenghao.analytics (see docs/analytics.md); the paths and query parameters stay typed by the
// generated schema through `api.get`.
import { api, type Query } from './client'
import { fetchAllPages } from '../utils/pagedList'

export type Measure = 'equivalent_tce' | 'equal_tce' | 'tco2'
export type By = 'city' | 'division' | 'industry' | 'enterprise' | 'energy_kind'

export interface Unconverted {
  energy_kind: string
  role: string
  quantity: number
  unit: string
  equivalent_tce: number
  reason: string
}

export interface ConsumptionRow {
  key: string | number
  name: string
  equivalent_tce: number
  equal_tce: number
  tco2: number
  raw_material_tce: number
  exported_tce: number
  renewable_electricity_kwh: number
  renewable_electricity_tce: number
  output_value_10k_yuan: number
  added_value_10k_yuan: number
  equal_value_complete: boolean
  equal_value_unconverted: Unconverted[]
}
export interface Consumption {
  period: string
  start: string
  end: string
  by: By
  rows: ConsumptionRow[]
  notes?: Record<string, string>
}

export interface Change {
  previous: number
  change: number
  rate: number | null
}
export interface CompareFigure {
  current: number
  year_on_year: Change
  period_on_period: Change
}
export interface CompareRow {
  key: string | number
  name: string
  equivalent_tce: CompareFigure
  equal_tce: CompareFigure
  tco2: CompareFigure
}
export interface Compare {
  period: string
  start: string
  end: string
  by: By
  year_on_year_period: string
  period_on_period_period: string
  rows: CompareRow[]
  notes?: Record<string, string>
}

export interface RankingRow {
  rank: number
  key: string | number
  name: string
  value: number
  share: number | null
}
export interface Ranking {
  period: string
  by: By
  measure: Measure
  total: number
  rows: RankingRow[]
}

export interface MixRow {
  energy_kind: string
  name: string
  used_tce: number
  exported_tce: number
  quantities_used: { quantity: number; unit: string }[]
  share: number | null
}
export interface Mix {
  period: string
  basis: string
  total_used_tce: number
  rows: MixRow[]
}

export interface SeriesGroup {
  key: string | number
  name: string
  equivalent_tce: number[]
  equal_tce: number[]
  tco2: number[]
}
export interface Series {
  period: string
  grain: 'day' | 'month' | 'year'
  by: By
  buckets: string[]
  groups: SeriesGroup[]
}

export type QuotaLevel = 'L1' | 'L2' | 'L3'
export interface QuotaAssessment {
  product: string
  value: number
  unit: string
  on: string
  level: QuotaLevel | 'above_limit' | null
  meets_limit: boolean
  edition: string
  title: string
  thresholds: Partial<Record<QuotaLevel, number>>
  source: string
  status: string
}
export interface UnitProductRow {
  item_id: number
  item_code: string
  product_code: string
  product_name: string
  boundary: string
  output_t: number
  boundary_consumption_tce: number
  recovered_energy_deducted_tce: number
  shared_boundary: boolean
  unit_consumption: number | null
  unit: string
  status: 'assessed' | 'no_quota_in_force' | 'no_quota_standard' | 'no_output' | string
  quota?: QuotaAssessment
  /** Why there is no assessment (no standard, no edition in force, no output). */
  message?: string
}
export interface UnitProducts {
  enterprise_id: number
  enterprise_name: string
  period: string
  quota_date: string
  rows: UnitProductRow[]
}

export type Level = 'city' | 'division' | 'enterprise'
export type Warning = 'green' | 'yellow' | 'red'
export const INDICATORS = ['total_energy_tce', 'energy_intensity', 'total_co2_t', 'carbon_intensity'] as const
export type Indicator = (typeof INDICATORS)[number]

export interface Target {
  id: number
  year: number
  level: Level
  subject: string
  division_code: string | null
  enterprise_id: number | null
  basis: 'equivalent' | 'equal'
  total_energy_tce: number | null
  energy_intensity: number | null
  total_co2_t: number | null
  carbon_intensity: number | null
  renewable_base_kwh: number | null
  note: string | null
}
export interface ProjectionFigure {
  value: number
  method: 'seasonal_profile' | 'linear_run_rate' | 'actual' | string
  explanation: string
}
export interface IndicatorProgress {
  target: number | null
  to_date: number | null
  projected: number | null
  ratio: number | null
  level: Warning | null
}
export interface Progress {
  target: Target
  as_of: string
  days_elapsed: number
  days_in_year: number
  basis: string
  year_to_date: Record<string, number | null>
  deductions: {
    raw_material_tce: { to_date: number; projected: number }
    renewable_above_base_tce: { to_date: number; projected: number }
    renewable_base_kwh: number | null
    renewable_base_source: string
    renewable_to_date_rule: string
  }
  projection: Record<string, ProjectionFigure>
  indicators: Record<Indicator, IndicatorProgress>
  level: Warning | null
  thresholds: { yellow: number; red: number }
  method: string
}

export interface RecordResult {
  index: number
  status: 'accepted' | 'duplicate' | 'revised' | 'rejected'
  revision?: number
  code?: string
  message?: string
}
export interface FilingAck {
  message_id: string
  received_at: string
  results: RecordResult[]
}

export interface ImportRow {
  row: number
  status: 'accepted' | 'duplicate' | 'revised' | 'rejected'
  item: string | null
  period: string | null
  start: string | null
  revision: number | null
  column: string | null
  code: string | null
  message: string | null
}
export interface ImportResult {
  filename: string
  format: string
  rows: number
  reference: string
  summary: { accepted: number; duplicate: number; revised: number; rejected: number }
  results: ImportRow[]
}

type Filters = { division?: string; industry?: string; enterprise_id?: number }

export const stats = {
  consumption: (q: Query<'/api/v1/stats/consumption'> & Filters) =>
    api.get('/api/v1/stats/consumption', { query: q }) as Promise<unknown> as Promise<Consumption>,
  compare: (q: Query<'/api/v1/stats/compare'> & Filters) =>
    api.get('/api/v1/stats/compare', { query: q }) as Promise<unknown> as Promise<Compare>,
  ranking: (q: Query<'/api/v1/stats/ranking'> & Filters) =>
    api.get('/api/v1/stats/ranking', { query: q }) as Promise<unknown> as Promise<Ranking>,
  mix: (q: Query<'/api/v1/stats/mix'> & Filters) =>
    api.get('/api/v1/stats/mix', { query: q }) as Promise<unknown> as Promise<Mix>,
  series: (q: Query<'/api/v1/stats/series'> & Filters) =>
    api.get('/api/v1/stats/series', { query: q }) as Promise<unknown> as Promise<Series>,
  enterpriseSeries: (id: number, q: Query<'/api/v1/stats/enterprises/{enterprise_id}/series'>) =>
    api.get('/api/v1/stats/enterprises/{enterprise_id}/series', { path: { enterprise_id: id }, query: q }) as Promise<unknown> as Promise<Series>,
  unitProducts: (id: number, period: string) =>
    api.get('/api/v1/stats/enterprises/{enterprise_id}/unit-products', {
      path: { enterprise_id: id },
      query: { period },
    }) as Promise<unknown> as Promise<UnitProducts>,
}

export const targetsApi = {
  list: (q: Query<'/api/v1/targets'>) =>
    fetchAllPages(
      (page, page_size) =>
        api.get('/api/v1/targets', { query: { ...q, page, page_size } }) as Promise<unknown> as Promise<{ items: Target[]; total: number }>,
    ),
  progress: (q: Query<'/api/v1/targets/progress'>) =>
    api.get('/api/v1/targets/progress', { query: q }) as Promise<unknown> as Promise<Progress>,
}
