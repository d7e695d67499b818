// The data-quality and alerts answers (nenghao.api.routers.quality / alerts), typed from the
// API's OpenAPI document. Times are Unix seconds.
import { api, type Query } from './client'
import type { components } from './schema'
import { fetchAllPages } from '../utils/pagedList'

type Schemas = components['schemas']

export type QualityScore = Schemas['QualityScore']
export type RankedScore = Schemas['RankedScore']
export type QualityScores = Schemas['QualityScores']
export type FailingDay = Schemas['FailingDay']
export type QualityEvent = Schemas['QualityEvent']
export type DrillDown = Schemas['DrillDown']

export type Alert = Schemas['AlertOut']
export type AlertWithDeliveries = Schemas['AlertWithDeliveries']
export type AlertStatus = Alert['status']
export type AlertPage = Schemas['PageOut_AlertOut_']
export type AlertQuery = Query<'/api/v1/alerts'>

/** The alert rules (nenghao.monitor.alerting.RULES): the inbox's rule filter. */
export const ALERT_RULES: readonly Schemas['RuleIn']['rule'][] = [
  'completeness', 'gap', 'missing_filing', 'timeliness', 'consistency', 'time_tag', 'negative', 'spike',
  'flat_line', 'register_backwards', 'level_shift', 'missing_indicator', 'reset_unbridged', 'replacement_suspected',
  'calibration_overdue',
  'device_offline', 'outage_unrepaired', 'gateway_heartbeat_stale', 'gateway_clock_skew',
  'quota_above_limit', 'target_warning', 'rectification_overdue', 'project_deviation',
]

export const monitor = {
  async scores(month: string): Promise<{ month: string; items: RankedScore[]; total: number }> {
    const all = await fetchAllPages((page, page_size) => api.get('/api/v1/quality/scores', { query: { month, page, page_size } }))
    return { month, ...all }
  },
  drillDown(enterpriseId: number, month: string): Promise<DrillDown> {
    return api.get('/api/v1/quality/enterprises/{enterprise_id}', {
      path: { enterprise_id: enterpriseId },
      query: { month },
    })
  },
  alerts(query: AlertQuery): Promise<AlertPage> {
    return api.get('/api/v1/alerts', { query })
  },
  alert(id: number): Promise<AlertWithDeliveries> {
    return api.get('/api/v1/alerts/{entry_id}', { path: { entry_id: id } })
  },
  acknowledge(id: number, comment?: string): Promise<Alert> {
    return api.post('/api/v1/alerts/{entry_id}/acknowledge', { path: { entry_id: id }, body: { comment: comment || null } })
  },
  resolve(id: number, comment: string): Promise<Alert> {
    return api.post('/api/v1/alerts/{entry_id}/resolve', { path: { entry_id: id }, body: { comment } })
  },
  /** Attach the enterprise's rectification note (整改说明); the status is unchanged. */
  rectify(id: number, note: string): Promise<Alert> {
    return api.post('/api/v1/alerts/{entry_id}/rectification', { path: { entry_id: id }, body: { note } })
  },
}
