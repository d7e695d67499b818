// Named types of the project review (节能审查) and two-high (两高) APIs, generated from the
// OpenAPI document; helpers the review pages share.
import type { components } from './schema'
import { downloadFile } from './client'

type Schemas = components['schemas']
export type Project = Schemas['ProjectOut']
export type ProjectDetail = Schemas['ProjectDetailOut']
export type ProjectIn = Schemas['ProjectIn']
export type ProjectStatus = Project['status']
export type ReviewTier = NonNullable<Project['review_tier']>
export type EnergyLine = Schemas['EnergyLineIn']
export type ProductLine = Schemas['ProductIn']
export type InboxItem = Schemas['InboxItemOut']
export type ProjectStep = Schemas['StepOut']
export type ProjectDocument = Schemas['DocumentOut']
export type DocumentKind = ProjectDocument['kind']
export type Assessment = Schemas['Assessment']
export type Headroom = Schemas['HeadroomOut']
export type HeadroomIndicator = Schemas['HeadroomIndicatorOut']
export type ActionBody = Schemas['ActionIn']
export type LedgerPage = Schemas['LedgerPage']
export type LedgerRow = Schemas['LedgerRow']
export type Position = LedgerRow['position']
export type Installation = Schemas['InstallationDetail']
export type InstallationIn = Schemas['InstallationIn']
export type RectificationPlan = Schemas['RectificationPlanOut']
export type RectificationPlanDetail = Schemas['RectificationPlanDetail']
export type PlanIn = Schemas['RectificationPlanIn']
export type ProgressUpdate = Schemas['RectificationUpdateOut']

export const STATUSES: ProjectStatus[] = ['draft', 'submitted', 'under_review', 'expert_review', 'approved', 'rejected', 'filed', 'withdrawn']
export const TIERS: ReviewTier[] = ['provincial', 'local', 'exempt']
export const ROLES: NonNullable<EnergyLine['role']>[] = ['input', 'raw_material', 'renewable_above_base', 'export']
export const DOCUMENT_KINDS: DocumentKind[] = ['energy_report', 'expert_opinion', 'commitment', 'approval', 'other']
export const POSITIONS: Position[] = ['better_than_benchmark', 'between', 'worse_than_baseline', 'no_level', 'no_data']

/** Element Plus tag type of a project status. */
export function statusType(status: ProjectStatus): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  if (status === 'approved' || status === 'filed') return 'success'
  if (status === 'rejected') return 'danger'
  if (status === 'submitted' || status === 'under_review' || status === 'expert_review') return 'warning'
  return 'info'
}

/** Element Plus tag type of a review tier: provincial review weighs most. */
export function tierType(tier: ReviewTier | null | undefined): 'danger' | 'primary' | 'info' {
  if (tier === 'provincial') return 'danger'
  return tier === 'local' ? 'primary' : 'info'
}

/** The colour of a two-high ledger position (better than 标杆 green … worse than 基准 red). */
export const POSITION_COLORS: Record<Position, string> = {
  better_than_benchmark: '#2e7d32',
  between: '#e6a23c',
  worse_than_baseline: '#c0392b',
  no_level: '#909399',
  no_data: '#b0b7c3',
}

/** Save a project document under its own name. */
export function downloadDocument(doc: ProjectDocument): Promise<string> {
  return downloadFile('/api/v1/projects/{project_id}/documents/{document_id}', { path: { project_id: doc.project_id, document_id: doc.id } }, doc.filename)
}

export type RetrofitLine = Schemas['RetrofitLedgerLine']
export type Retrofit = Schemas['RetrofitOut']
export type RetrofitVerification = Schemas['RetrofitVerificationOut']
export type RetrofitAdjustment = Schemas['RetrofitAdjustmentOut']
export type RetrofitAdjustmentIn = Schemas['RetrofitAdjustmentIn']
