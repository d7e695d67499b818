// Device status and fault reports (故障报备) (nenghao.api.routers.device_status / faults),
// typed from the API's OpenAPI document.
import { api, type Query } from './client'
import type { components } from './schema'

type Schemas = components['schemas']

export type EnterpriseStatus = Schemas['EnterpriseStatusOut']
export type DeviceState = EnterpriseStatus['state']
export type District = Schemas['DistrictOut']
export type StatusDetail = Schemas['EnterpriseDetail']
export type StatusDay = Schemas['DayOut']
export type Fault = Schemas['FaultOut']
export type FaultIn = Schemas['FaultIn']
export type StatusQuery = Query<'/api/v1/status/enterprises'>

export const DEVICE_STATES: DeviceState[] = ['offline_long', 'offline', 'never', 'online']
export const FAULT_CAUSES = ['communication', 'collector', 'meter', 'shutdown', 'other'] as const

export const deviceStatus = {
  list(query: StatusQuery) {
    return api.get('/api/v1/status/enterprises', { query })
  },
  districts() {
    return api.get('/api/v1/status/districts')
  },
  enterprise(enterpriseId: number, days = 30): Promise<StatusDetail> {
    return api.get('/api/v1/enterprises/{enterprise_id}/status', { path: { enterprise_id: enterpriseId }, query: { days } })
  },
  faults(enterpriseId: number) {
    return api.get('/api/v1/enterprises/{enterprise_id}/faults', { path: { enterprise_id: enterpriseId }, query: { page_size: 50 } })
  },
  overdue(page: number) {
    return api.get('/api/v1/faults', { query: { overdue: true, page, page_size: 20 } })
  },
  report(enterpriseId: number, body: FaultIn): Promise<Fault> {
    return api.post('/api/v1/enterprises/{enterprise_id}/faults', { path: { enterprise_id: enterpriseId }, body })
  },
  repair(enterpriseId: number, faultId: number): Promise<Fault> {
    return api.post('/api/v1/enterprises/{enterprise_id}/faults/{entry_id}/repair', {
      path: { enterprise_id: enterpriseId, entry_id: faultId },
      body: {},
    })
  },
}

/** Element Plus tag type of a state. */
export function stateType(state: DeviceState): 'success' | 'warning' | 'danger' | 'info' {
  return state === 'online' ? 'success' : state === 'offline' ? 'warning' : state === 'offline_long' ? 'danger' : 'info'
}

/** Tile colour of a 30-day online rate (green at 90 % and above, amber, red below 60 %). */
export function rateColour(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '#909399'
  return rate >= 0.9 ? '#2e7d32' : rate >= 0.6 ? '#e6a23c' : '#c0392b'
}
