// The quota catalogue as the compliance pages use it: one entry per product (its editions
// share the names) and the NDRC benchmark/baseline levels by product.
import { api } from '../api/client'
import type { BenchmarkLevel, Quotas } from '../api/types'

export interface QuotaProduct {
  code: string
  name_zh: string
  name_en: string
}

export interface QuotaCatalog {
  products: QuotaProduct[]
  benchmarks: Map<string, BenchmarkLevel>
}

export async function loadQuotaCatalog(): Promise<QuotaCatalog> {
  const answer: Quotas = await api.get('/api/v1/catalog/quotas')
  const products = new Map<string, QuotaProduct>()
  for (const e of answer.items) {
    if (!products.has(e.product)) products.set(e.product, { code: e.product, name_zh: e.product_name_zh, name_en: e.product_name_en })
  }
  return { products: [...products.values()], benchmarks: new Map(answer.benchmarks.map((b) => [b.product, b])) }
}

/** Element Plus tag type of a quota level: L1 green … above the limit red. */
export function levelTagType(level: string | null | undefined): 'success' | 'primary' | 'warning' | 'danger' | 'info' {
  if (level === 'L1') return 'success'
  if (level === 'L2') return 'primary'
  if (level === 'L3') return 'warning'
  return level === 'above_limit' ? 'danger' : 'info'
}
