// A quarantine entry in the page's language: its reason by name (the API's Chinese and English
// names of the reason code) and what was refused, in Chinese from the record's own fields.
import type { components } from '../api/schema'
import { i18n } from '../i18n'
import { cst } from './format'

export type QuarantineEntry = components['schemas']['EntryOut']
type RecordFields = { period?: string; start?: string; value?: number | null; register?: number | null; unit?: string }

const isZh = () => i18n.global.locale.value !== 'en'

/** The reason by its name in the page's language (the code when this version lacks it). */
export function reasonText(e: QuarantineEntry): string {
  return (isZh() ? e.reason_zh : e.reason_en) || e.code
}

/** What was refused: in Chinese the record's period, start, value or reading; in English the
 * API's message, which says the same with the specifics. */
export function detailText(e: QuarantineEntry): string {
  if (!isZh()) return e.message
  const { t, te } = i18n.global
  const r = e.record as RecordFields
  const parts: string[] = []
  if (r.period) parts.push(te(`reasons.periods.${r.period}`) ? t(`reasons.periods.${r.period}`) : r.period)
  if (r.start) parts.push(t('reasons.from', { start: cst(r.start) }))
  if (r.value !== null && r.value !== undefined) parts.push(t('reasons.value', { value: r.value, unit: r.unit ?? '' }))
  if (r.register !== null && r.register !== undefined) parts.push(t('reasons.register', { value: r.register, unit: r.unit ?? '' }))
  return parts.join('，')
}
