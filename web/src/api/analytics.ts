// The statistics, targets and import answers, typed from the API's OpenAPI document (the
// generated schema.d.ts): paths, query parameters and answers alike.
import { api, type Query } from './client'
import type { components } from './schema'
import { fetchAllPages } from '../utils/pagedList'

type Schemas = components['schemas']

export type Measure = Schemas['Ranking']['measure']
export type By = Schemas['Consumption']['by']

export type Unconverted = Schemas['Unconverted']
export type ConsumptionRow = Schemas['ConsumptionRow']
export type Consumption = Schemas['Consumption']

export type Change = Schemas['Change']
export type CompareFigure = Schemas['Compared']
export type CompareRow = Schemas['CompareRow']
export type Compare = Schemas['Compare']

export type RankingRow = Schemas['RankingRow']
export type Ranking = Schemas['Ranking']

export type MixRow = Schemas['MixRow']
export type Mix = Schemas['Mix']

export type SeriesGroup = Schemas['SeriesGroup']
export type Series = Schemas['Series']

export type KeyUnits = Schemas['KeyUnits']
export type KeyUnitRow = Schemas['KeyUnitRow']
export type KeyUnitChange = Schemas['KeyUnitChange']
export type KeyUnitFinding = KeyUnitRow['finding']

export type QuotaAssessment = Schemas['QuotaAssessmentOut']
export type QuotaLevel = keyof QuotaAssessment['thresholds']
export type UnitProductRow = Schemas['UnitProductRow']
export type UnitProducts = Schemas['UnitProducts']
export type ComplianceRow = Schemas['ComplianceRow']
export type QuotaCompliance = Schemas['QuotaCompliance']
export type ComplianceLevel = NonNullable<ComplianceRow['level']>

export type Target = Schemas['TargetOut']
export type Level = Target['level']
export type Progress = Schemas['ProgressOut']
export type ProjectionFigure = Schemas['ProjectionTce'] | Schemas['ProjectionKwh'] | Schemas['ProjectionCo2'] | Schemas['ProjectionMoney']
export type IndicatorProgress = Schemas['IndicatorProgress']
export type Indicator = keyof Schemas['Indicators']
export type Warning = NonNullable<IndicatorProgress['level']>
export type Deductions = Schemas['Deductions']
/** The indicators a target may set, in the order the page shows them. */
export const INDICATORS: readonly Indicator[] = ['total_energy_tce', 'energy_intensity', 'total_co2_t', 'carbon_intensity']

export type RecordResult = Schemas['RecordResult']
export type FilingAck = Schemas['UplinkAck']

export type ImportRow = Schemas['ImportRow']
export type ImportResult = Schemas['ImportResultOut']

type Filters = { division?: string; industry?: string; enterprise_id?: number }

export const stats = {
  consumption: (q: Query<'/api/v1/stats/consumption'> & Filters) => api.get('/api/v1/stats/consumption', { query: q }),
  compare: (q: Query<'/api/v1/stats/compare'> & Filters) => api.get('/api/v1/stats/compare', { query: q }),
  ranking: (q: Query<'/api/v1/stats/ranking'> & Filters) => api.get('/api/v1/stats/ranking', { query: q }),
  mix: (q: Query<'/api/v1/stats/mix'> & Filters) => api.get('/api/v1/stats/mix', { query: q }),
  series: (q: Query<'/api/v1/stats/series'> & Filters) => api.get('/api/v1/stats/series', { query: q }),
  enterpriseSeries: (id: number, q: Query<'/api/v1/stats/enterprises/{enterprise_id}/series'>) =>
    api.get('/api/v1/stats/enterprises/{enterprise_id}/series', { path: { enterprise_id: id }, query: q }),
  keyUnits: (year: number) => api.get('/api/v1/stats/key-units', { query: { year } }),
  unitProducts: (id: number, period: string) =>
    api.get('/api/v1/stats/enterprises/{enterprise_id}/unit-products', {
      path: { enterprise_id: id },
      query: { period },
    }),
  quotaCompliance: (q: Query<'/api/v1/stats/quota-compliance'>) => api.get('/api/v1/stats/quota-compliance', { query: q }),
}

export const targetsApi = {
  list: (q: Query<'/api/v1/targets'>) =>
    fetchAllPages((page, page_size) => api.get('/api/v1/targets', { query: { ...q, page, page_size } })),
  progress: (q: Query<'/api/v1/targets/progress'>) => api.get('/api/v1/targets/progress', { query: q }),
}
