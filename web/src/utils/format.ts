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
