// Reason codes of the uplink protocol by name (GET /api/v1/catalog/reasons, read once): the
// dashboard shows a rejection by its Chinese (or English) name, the code as secondary text.
import { reactive } from 'vue'
import { api } from '../api/client'
import type { components } from '../api/schema'
import { i18n } from '../i18n'

type Reason = components['schemas']['ReasonOut']
const names = reactive<Record<string, Reason>>({})
let loading: Promise<void> | null = null

/** Load the reason codes' names (once; a failure leaves the codes shown as they are). */
export function loadReasons(): Promise<void> {
  loading ??= api
    .get('/api/v1/catalog/reasons')
    .then((answer) => {
      for (const reason of answer.items) names[reason.code] = reason
    })
    .catch(() => {
      loading = null
    })
  return loading
}

/** The name of a reason code in the page's language; the code itself when unknown. */
export function reasonName(code: string | null | undefined): string {
  if (!code) return ''
  const reason = names[code]
  if (!reason) return code
  return i18n.global.locale.value === 'en' ? reason.en : reason.zh
}
