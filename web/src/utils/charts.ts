// ECharts options the dashboard's charts share: the look of a trend chart, the month axis,
// and the share-of-total donut.
import { plain } from './format'

export const BLUE = '#1f4e8c'
export const ORANGE = '#e6a23c'
export const RED = '#c0392b'

/** Colours, grid, axis tooltip and a legend on top: the frame of a trend or comparison chart. */
export function trendFrame(colors: string[]) {
  return {
    color: colors,
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => plain(value) },
    legend: { top: 0 },
  }
}

/** A category axis of the twelve months, labelled by `label(n)` (n = 1..12). */
export function monthAxis(label: (n: number) => string) {
  return { type: 'category', data: Array.from({ length: 12 }, (_, i) => label(i + 1)) }
}

export interface Slice {
  name: string
  value: number
}

/**
 * A donut of each slice's share of the total, with a scrolling legend on the right; slices of
 * zero or less are left out. `unit` follows the value in the tooltip.
 */
export function donutOption(slices: Slice[], options: { unit?: string; centerX?: string; legendWidth?: number } = {}) {
  const unit = options.unit ? ` ${options.unit}` : ''
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: number; percent: number }) => `${p.name}: ${plain(p.value)}${unit} (${plain(p.percent)}%)`,
    },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle', width: options.legendWidth ?? 110 },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        center: [options.centerX ?? '35%', '50%'],
        label: { show: false },
        data: slices.filter((s) => s.value > 0),
      },
    ],
  }
}

/** A value axis named `name` whose labels never use an exponent. */
export function valueAxis(name: string) {
  return { type: 'value', name, axisLabel: { formatter: (value: number) => plain(value) } }
}
