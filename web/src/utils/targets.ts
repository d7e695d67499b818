// How the targets page writes its figures: tce as officials write it (万tce from 10 000 tce
// on), intensities with four decimals, never an exponent; the warning tag's colour.
import type { Indicator, ProjectionFigure, Warning } from '../api/analytics'
import { fixed, share, tce, WAN } from './format'

export const UNITS: Record<Indicator, string> = {
  total_energy_tce: 'tce',
  energy_intensity: 'tce/万元',
  total_co2_t: 'tCO2',
  carbon_intensity: 'tCO2/万元',
}
export const DIGITS: Record<Indicator, number> = { total_energy_tce: 2, energy_intensity: 4, total_co2_t: 2, carbon_intensity: 4 }
export const RANK: Record<Warning | 'none', number> = { red: 3, yellow: 2, green: 1, none: 0 }

export const warnType = (level: Warning | null | undefined) =>
  level === 'red' ? 'danger' : level === 'yellow' ? 'warning' : level === 'green' ? 'success' : 'info'

/** An indicator's figure with its unit ('–' when absent). */
export function indicatorText(key: Indicator, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  if (key === 'total_energy_tce') {
    const shown = tce(value)
    return `${shown.text} ${shown.unit}`
  }
  return `${fixed(value, DIGITS[key])} ${UNITS[key]}`
}

/** A projected figure (gross_tce, renewable_kwh, …) with its unit. */
export function figureText(figure: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–'
  if (figure === 'gross_tce' || figure === 'raw_material_tce') {
    const shown = tce(value)
    return `${shown.text} ${shown.unit}`
  }
  if (figure === 'renewable_kwh') return Math.abs(value) >= WAN ? `${fixed(value / WAN, 2)} 万kWh` : `${fixed(value, 0)} kWh`
  if (figure === 'tco2') return `${fixed(value, 2)} tCO2`
  return `${fixed(value, 2)} 万元`
}

/** The parameters of a projection's explanation, each written with its unit. */
export function explanationParts(figure: string, p: ProjectionFigure): Record<string, string | number> {
  return {
    same: figureText(figure, p.last_year_same_period),
    total: figureText(figure, p.last_year_total),
    share: share(p.share, 2),
    ytd: figureText(figure, p.year_to_date),
    value: figureText(figure, p.value),
    days: p.days_in_year,
    elapsed: p.days_elapsed,
  }
}
