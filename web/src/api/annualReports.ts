// The annual energy-utilisation report filing (能源利用状况报告): the types of its answers and
// the calls of the page (nenghao.api.routers.annual_reports).
import { api, downloadFile } from './client'
import type { components } from './schema'

type Schemas = components['schemas']
export type AnnualReport = Schemas['AnnualReportOut']
export type AnnualParts = Schemas['AnnualParts']
export type AnnualProject = Schemas['AnnualProject']
export type AnnualVersion = Schemas['AnnualVersionOut']
export type ListedReport = Schemas['AnnualListedReport']
export type ReportStatus = ListedReport['status']

const ONE = '/api/v1/enterprises/{enterprise_id}/annual-reports/{year}' as const

function at(enterprise_id: number, year: number) {
  return { path: { enterprise_id, year } }
}

export const annualReports = {
  open: (enterprise: number, year: number) => api.get(ONE, at(enterprise, year)),
  save: (enterprise: number, year: number, body: AnnualParts) => api.put(ONE, { ...at(enterprise, year), body }),
  submit: (enterprise: number, year: number) => api.post(`${ONE}/submit`, at(enterprise, year)),
  accept: (enterprise: number, year: number) => api.post(`${ONE}/accept`, at(enterprise, year)),
  giveBack: (enterprise: number, year: number, comment: string) =>
    api.post(`${ONE}/return`, { ...at(enterprise, year), body: { comment } }),
  versions: (enterprise: number, year: number) =>
    api.get(`${ONE}/versions`, { ...at(enterprise, year), query: { page_size: 200 } }),
  list: (year: number, status: ReportStatus | null, overdue: boolean | null, page: number, page_size: number) =>
    api.get('/api/v1/annual-reports', { query: { year, status, overdue, page, page_size } }),
  pdf: (enterprise: number, year: number) =>
    downloadFile(`${ONE}/pdf`, at(enterprise, year), `annual-report-${enterprise}-${year}.pdf`),
}

/** Empty parts of a new report (the API's defaults). */
export function emptyParts(): AnnualParts {
  return {
    measures: [],
    projects: [],
    management: {
      manager_name: null,
      phone: null,
      certificate: null,
      management_system: null,
      metering_rate_pct: null,
      last_audit_year: null,
    },
    figures_note: null,
    statement_confirmed: false,
  }
}
