// Choices of the filing form: the units offered beside a figure (the API checks the unit
// against the catalogue; these are the units officials write for each kind of figure).
const UNIT_GROUPS: string[][] = [
  ['kWh', 'MWh', '万kWh', 'GWh', '亿kWh'],
  ['GJ', 'MJ', 'TJ', 'kcal'],
  ['t', 'kg', '万t'],
  ['m3', '万m3', '亿m3'],
  ['万元', '元', '亿元'],
  ['tce', 'kgce'],
  ['个'],
]

/** The units offered for a figure whose usual unit is `unit` (its group, `unit` first). */
export function unitChoices(unit: string): string[] {
  const group = UNIT_GROUPS.find((g) => g.includes(unit)) ?? []
  return [unit, ...group.filter((u) => u !== unit)]
}


/** The last complete CST month (YYYY-MM) and year (YYYY), from the last complete month. */
export function lastPeriods(last: { year: number; month: number }): { month: string; year: string } {
  return {
    month: `${last.year}-${String(last.month).padStart(2, '0')}`,
    year: String(last.month === 12 ? last.year : last.year - 1),
  }
}
