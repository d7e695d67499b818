// Periods in China Standard Time, written as the statistics API reads them (docs/analytics.md).
// Only the choice of period is made here; every figure comes from the API.
const dayFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Yesterday's CST date, YYYY-MM-DD (the last complete day, as the API's default `as_of`). */
export function yesterdayCst(): string {
  return dayFormatter.format(new Date(Date.now() - 86_400_000))
}

export const pad2 = (n: number): string => String(n).padStart(2, '0')

/** The year and month of yesterday in CST: the default period of the analytics pages. */
export function defaultYearMonth(): { year: number; month: number } {
  const [y, m] = yesterdayCst().split('-').map(Number)
  return { year: y, month: m }
}

export const monthPeriod = (year: number, month: number): string => `${year}-${pad2(month)}`
/** Year to date through `month`: 2025-01..2025-03 (January alone: 2025-01). */
export const ytdPeriod = (year: number, month: number): string =>
  month === 1 ? `${year}-01` : `${year}-01..${year}-${pad2(month)}`

/** Years offered by the period pickers: the current one and the five before. */
export function recentYears(): number[] {
  const { year } = defaultYearMonth()
  return Array.from({ length: 6 }, (_, i) => year - i)
}
