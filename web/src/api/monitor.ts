// Answers of the data-quality and alerts API (nenghao.api.routers.quality / alerts). These
// routes answer plain objects in the OpenAPI document, so their shapes are written here.
// Times are Unix seconds.
import { api } from './client'
import { fetchAllPages } from '../utils/pagedList'

export interface QualityScore {
  enterprise_id: number
  month: number
  score: number
  grade: string
  completeness: number | null
  timeliness: number | null
  consistency: number | null
  validity: number | null
  weights: Record<string, number>
  detail: Record<string, unknown>
  computed_at: number
  enterprise_name?: string
  credit_code?: string
  division_code?: string
  rank?: number
}

export interface QualityScores {
  month: string
  items: QualityScore[]
  total: number
}

export interface FailingDay {
  item_id: number
  day: number
  enterprise_id: number
  expected: number
  received: number
  on_time: number
  invalid: number
  item_code: string
  item_name: string
  item_period: string
}

export interface QualityEvent {
  id: number
  rule: string
  enterprise_id: number
  item_id: number | null
  subject: string
  period: string
  start: number
  end: number
  severity: string
  points: number | null
  value: number | null
  expected: number | null
  message: string
  detected_at: number
  item_code: string | null
}

export interface DrillDown {
  enterprise: { id: number; name: string; credit_code: string; division_code: string }
  month: string
  score: QualityScore | null
  failing_days: FailingDay[]
  events_by_rule: Record<string, number>
  events: QualityEvent[]
  events_total: number
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved'

export interface Alert {
  id: number
  rule: string
  subject: string
  enterprise_id: number | null
  division_code: string | null
  item_id: number | null
  severity: 'info' | 'warning' | 'critical'
  status: AlertStatus
  title: string
  message: string
  detail: Record<string, unknown> | null
  occurrences: number
  first_seen: number
  last_seen: number
  acknowledged_at: number | null
  acknowledged_by: string | null
  acknowledge_comment: string | null
  resolved_at: number | null
  resolved_by: string | null
  resolve_comment: string | null
  deliveries?: Record<string, unknown>[]
}

export interface AlertPage {
  items: Alert[]
  total: number
  page: number
  page_size: number
}

/** The alert rules (nenghao.monitor.alerting.RULES): the inbox's rule filter. */
export const ALERT_RULES = [
  'completeness', 'gap', 'missing_filing', 'timeliness', 'consistency', 'time_tag', 'negative', 'spike',
  'flat_line', 'register_backwards', 'level_shift', 'missing_indicator', 'device_offline', 'outage_unrepaired',
  'quota_above_limit', 'target_warning',
] as const

export const monitor = {
  async scores(month: string): Promise<QualityScores> {
    const all = await fetchAllPages(
      async (page, page_size) =>
        (await api.get('/api/v1/quality/scores', { query: { month, page, page_size } })) as unknown as QualityScores,
    )
    return { month, ...all }
  },
  async drillDown(enterpriseId: number, month: string): Promise<DrillDown> {
    const answer = await api.get('/api/v1/quality/enterprises/{enterprise_id}', {
      path: { enterprise_id: enterpriseId },
      query: { month },
    })
    return answer as unknown as DrillDown
  },
  async alerts(query: {
    status?: string
    rule?: string
    severity?: string
    enterprise_id?: number
    page?: number
    page_size?: number
  }): Promise<AlertPage> {
    return (await api.get('/api/v1/alerts', { query })) as unknown as AlertPage
  },
  async alert(id: number): Promise<Alert> {
    return (await api.get('/api/v1/alerts/{entry_id}', { path: { entry_id: id } })) as unknown as Alert
  },
  async acknowledge(id: number, comment?: string): Promise<Alert> {
    const answer = await api.post('/api/v1/alerts/{entry_id}/acknowledge', {
      path: { entry_id: id },
      body: { comment: comment || null },
    })
    return answer as unknown as Alert
  },
  async resolve(id: number, comment: string): Promise<Alert> {
    const answer = await api.post('/api/v1/alerts/{entry_id}/resolve', { path: { entry_id: id }, body: { comment } })
    return answer as unknown as Alert
  },
}
