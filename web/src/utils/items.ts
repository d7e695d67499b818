// Names of a data item's attributes as users read them (vocabulary of docs/items.md).
import type { Item } from '../api/items'

export const MEASURES = ['energy', 'medium', 'product', 'output_value', 'added_value'] as const
export const USAGES = ['consumption', 'raw_material', 'export', 'production', 'value'] as const
export const STAGES = ['fence', 'purchase', 'conversion', 'distribution', 'end_use'] as const
export const PERIODS = ['15min', 'hour', 'day', 'month', 'year'] as const
export const VALUE_KINDS = ['interval', 'register'] as const

/** Attributes that interpret stored readings: refused by the API once readings exist. */
export const READING_BOUND = ['measures', 'energy_kind', 'product_code', 'unit', 'period', 'value_kind', 'usage', 'stage', 'process'] as const

/** Whether the calibration's last valid day (CST date) lies before `today` (CST date). */
export const calibrationOverdue = (item: Pick<Item, 'calibration_due'>, today: string): boolean =>
  item.calibration_due !== null && item.calibration_due < today
