// Named types of the API, all generated from its OpenAPI document (schema.d.ts, written by
// `npm run gen:openapi`): a change of an answer breaks the type check of every page using it.
import type { components, paths } from './schema'

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

/** A value with unit, source and status (standards). */
export type Sourced = Schemas['SourcedOut']
export type Status = Sourced['status']
export type EnergyKind = Schemas['EnergyKindOut']
export type Quota = Schemas['QuotaEditionOut']
export type Quotas = Schemas['Quotas']
export type BenchmarkLevel = Schemas['BenchmarkLevel']
export type EmissionFactor = Schemas['EmissionFactors']['items'][number]
export type Division = Schemas['DivisionOut']
export type Industry = Schemas['IndustryOut']
export type EnergyKinds = Schemas['EnergyKinds']
export type Divisions = Schemas['Divisions']
export type Industries = Schemas['Industries']
export type Conversion = Schemas['ConversionOut']

/** An enterprise with its energy manager (能源管理负责人) and contacts. */
export type EnterpriseRecord = Schemas['EnterpriseRecordOut']
export type EnterpriseIn = Schemas['EnterpriseIn']
export type EnterprisePatch = Schemas['EnterprisePatch']
export type ManagerIn = Schemas['ManagerIn']
export type ContactIn = Schemas['ContactIn']
/** Notices (通知公告). */
export type Notice = Schemas['NoticeOut']
export type NoticeReceipts = Schemas['ReceiptsOut']
export type NoticeReceipt = Schemas['ReceiptOut']
export type NoticeAttachment = Schemas['AttachmentOut']

/** A quota product's code, as the quota routes list them. */
export type QuotaProductCode = NonNullable<NonNullable<paths['/api/v1/stats/quota-compliance']['get']['parameters']['query']>['product']>
