// Periods in China Standard Time, written as the statistics API reads them (docs/analytics.md).
// Only the choice of period is made here; every figure comes from the API.
const dayFormatter = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** Yesterday's CST date, YYYY-MM-DD (the last complete day, as the API's default `as_of`). */
export function yesterdayCst(): string {
  return dayFormatter.format(new Date(Date.now() - 86_400_000))
}

export const pad2 = (n: number): string => String(n).padStart(2, '0')

/** The last complete CST month: the default period of the analytics pages (never a month
 * with only a few days of data; the year to date then runs through it). */
export function defaultYearMonth(): { year: number; month: number } {
  const [y, m] = dayFormatter.format(new Date()).split('-').map(Number)
  return m === 1 ? { year: y - 1, month: 12 } : { year: y, month: m - 1 }
}

/** "截至 12月4日" for a comparison of a period still in progress (its `compared.end`). */
export function throughDay(end: string): { month: number; day: number } {
  const [, m, d] = end.split('-').map(Number)
  return { month: m, day: d }
}

export const monthPeriod = (year: number, month: number): string => `${year}-${pad2(month)}`
/** Year to date through `month`: 2025-01..2025-03 (January alone: 2025-01). */
export const ytdPeriod = (year: number, month: number): string =>
  month === 1 ? `${year}-01` : `${year}-01..${year}-${pad2(month)}`

/** Years offered by the period pickers: the current one and the five before. */
export function recentYears(): number[] {
  const year = Number(dayFormatter.format(new Date()).slice(0, 4))
  return Array.from({ length: 6 }, (_, i) => year - i)
}
