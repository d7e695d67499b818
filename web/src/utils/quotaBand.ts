// Geometry of the quota bar: where the level bands and the value sit, in % of the bar.
//
// The bar agrees with the verdict (GB 21256 / GB 21342: the level is the best one whose
// threshold the value does not exceed; above Level 3 is over the limit):
// green up to L1, blue from L1 to L2 (only when the edition has a Level 2), orange up to L3,
// red beyond L3. The scale runs from 0 (or below the lowest limit when limits are negative,
// as for converter steel) to a quarter past L3, so a value over the limit always sits in red.

export interface BandSegment {
  level: 'L1' | 'L2' | 'L3'
  left: number
  width: number
}

export interface QuotaBand {
  segments: BandSegment[]
  /** Position of L3 (the start of the red "over the limit" part) [%]. */
  limit: number
  /** Position of the value, clamped to the bar [%]. */
  value: number
  /** The value lies outside the drawn scale (shown at the bar's edge). */
  clamped: boolean
}

type Thresholds = { L1?: number | null; L2?: number | null; L3?: number | null }

/** The bar of `value` against `thresholds`, or null without a Level 3 or a value. */
export function quotaBand(thresholds: Thresholds, value: number | null | undefined): QuotaBand | null {
  const l3 = thresholds.L3 ?? null
  if (l3 === null || value === null || value === undefined || !Number.isFinite(value)) return null
  const l1 = thresholds.L1 ?? l3
  const l2 = thresholds.L2 ?? null
  const pad = 0.25 * Math.max(Math.abs(l3), l3 - l1)
  const lo = l1 >= 0 ? 0 : l1 - pad
  const hi = l3 + (pad > 0 ? pad : 1)
  const at = (v: number) => ((v - lo) / (hi - lo)) * 100
  const clip = (p: number) => Math.max(0, Math.min(100, p))
  const segments: BandSegment[] = [{ level: 'L1', left: 0, width: clip(at(l1)) }]
  const orangeFrom = l2 !== null && l2 > l1 ? l2 : l1
  if (orangeFrom > l1) segments.push({ level: 'L2', left: clip(at(l1)), width: clip(at(l2!)) - clip(at(l1)) })
  segments.push({ level: 'L3', left: clip(at(orangeFrom)), width: clip(at(l3)) - clip(at(orangeFrom)) })
  const raw = at(value)
  return { segments, limit: clip(at(l3)), value: clip(raw), clamped: raw < 0 || raw > 100 }
}
