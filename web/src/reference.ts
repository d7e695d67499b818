// Reference lists used across pages (divisions, industries), loaded once per session.
import { computed, reactive } from 'vue'
import { api } from './api/client'
import type { Division, Industry } from './api/types'
import { i18n } from './i18n'
import { session } from './session'

const state = reactive({
  divisions: [] as Division[],
  industries: [] as Industry[],
  loaded: false,
})
let loading: Promise<void> | null = null

export function loadReference(): Promise<void> {
  loading ??= Promise.all([
    api.get('/api/v1/catalog/divisions'),
    api.get('/api/v1/catalog/industries'),
  ])
    .then(([divisions, industries]) => {
      state.divisions = divisions.items
      state.industries = industries.items
      state.loaded = true
    })
    .catch((error: unknown) => {
      loading = null
      throw error
    })
  return loading
}

export function resetReference(): void {
  loading = null
  state.loaded = false
}

function localName(item: { name_zh: string; name_en: string } | undefined): string | null {
  if (!item) return null
  return i18n.global.locale.value === 'en' ? item.name_en || item.name_zh : item.name_zh
}

export function divisionName(code: string | null | undefined): string {
  if (!code) return ''
  return localName(state.divisions.find((d) => d.code === code)) ?? code
}

export function industryName(code: string | null | undefined): string {
  if (!code) return ''
  return localName(state.industries.find((d) => d.code === code)) ?? code
}

export function industryOf(code: string | null | undefined): Industry | undefined {
  return state.industries.find((d) => d.code === code)
}

/** The county-level divisions (below the prefecture the platform serves) in the caller's
 * scope (/auth/me): every one for a city-wide role, its own for a district, none for an
 * enterprise (its data is one enterprise, not a division). */
export const counties = computed(() => {
  const scope = session.me?.scope
  return state.divisions.filter(
    (d) =>
      d.level !== 'province' &&
      d.level !== 'prefecture' &&
      (scope?.kind !== 'division' || d.code === scope.division_code) &&
      scope?.kind !== 'enterprise',
  )
})

/** The city the platform serves: the prefecture-level division of the catalogue. */
export const cityName = computed(() => localName(state.divisions.find((d) => d.level === 'prefecture')) ?? '')

export const industries = computed(() => state.industries)
export const referenceState = state
