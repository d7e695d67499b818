import { ref, watch } from 'vue'

// Times are shown in China Standard Time, whatever the browser's zone.
const formatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

export function cst(iso: string | null | undefined): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const parts = Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

export function number(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined) return ''
  return value.toLocaleString('zh-CN', { maximumFractionDigits: digits })
}

/** A figure with fixed decimals and grouping (tce, tCO2, kWh…); '–' when absent. */
export function fixed(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–'
  return value.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A rate the API gives as a fraction (0.1897), shown as a signed percentage (+18.97 %). */
export function percent(rate: number | null | undefined, digits = 2): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '–'
  const text = (rate * 100).toFixed(digits)
  return `${rate > 0 ? '+' : ''}${text} %`
}

/** A share the API gives as a fraction, shown as a percentage without a sign. */
export function share(rate: number | null | undefined, digits = 2): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '–'
  return `${(rate * 100).toFixed(digits)} %`
}

/** A Unix time in seconds (the monitor's answers), shown in CST like `cst`. */
export function cstEpoch(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return ''
  return cst(new Date(seconds * 1000).toISOString())
}

/** The CST day (YYYY-MM-DD) of a Unix time in seconds. */
export function cstDay(seconds: number | null | undefined): string {
  return cstEpoch(seconds).slice(0, 10)
}

// Figures of 10 000 tce and more read as 万tce (docs/accounting.md, Precision); the choice is
// remembered in this browser.
const TCE_UNIT_KEY = 'nh.tceUnit'
export const WAN = 10000

function storedInWan(): boolean {
  try {
    return globalThis.localStorage?.getItem(TCE_UNIT_KEY) !== 'tce'
  } catch {
    return true
  }
}

/** Whether figures of 10 000 tce and more are shown in 万tce (the default). */
export const inWan = ref(storedInWan())
watch(inWan, (on) => {
  try {
    globalThis.localStorage?.setItem(TCE_UNIT_KEY, on ? 'wan' : 'tce')
  } catch {
    // a browser that keeps nothing still switches for this visit
  }
})

/** A tce figure as shown: in 万tce with 2 decimals from 10 000 tce on (unless switched
 * off), otherwise in tce with 2 decimals; never an exponent. */
export function tce(value: number | null | undefined): { text: string; unit: 'tce' | '万tce' } {
  if (value === null || value === undefined || Number.isNaN(value)) return { text: '–', unit: 'tce' }
  if (inWan.value && Math.abs(value) >= WAN) return { text: fixed(value / WAN, 2), unit: '万tce' }
  return { text: fixed(value, 2), unit: 'tce' }
}

/** A chart's axis label or tooltip value: grouped, at most `digits` decimals, never an
 * exponent (ECharts would write 2.27e-13). */
export function plain(value: unknown, digits = 2): string {
  if (typeof value !== 'number') return value === null || value === undefined ? '–' : String(value)
  return value.toLocaleString('zh-CN', { maximumFractionDigits: digits })
}

/** A message the API writes as "中文 / English" (an alert of the review layer): the part of
 * the page's language; any other message as it is. */
export function localPart(text: string | null | undefined, locale: string): string {
  if (!text) return ''
  const cut = text.lastIndexOf(' / ')
  if (cut < 0) return text
  const zh = text.slice(0, cut)
  const en = text.slice(cut + 3)
  const cjk = /[\u4e00-\u9fff]/
  if (!cjk.test(zh) || cjk.test(en)) return text
  return locale === 'en' ? en : zh
}
