// A paged list from the API: the page, its rows and total, loading and error state, reloaded
// whenever the page or the page size changes.
import { ref, watch, type Ref } from 'vue'

export interface PageOf<T> {
  items: T[]
  total: number
}

export interface PagedListOptions {
  page?: number
  pageSize?: number
  /** Empty the list when a load fails (default), or keep what was shown. */
  clearOnError?: boolean
  /** Runs before each reload for a new page or page size, and before a search. */
  beforeReload?: () => void
}

/** The largest page the API answers (PAGE_SIZE_MAX in nenghao.api.params). */
export const MAX_PAGE_SIZE = 200

/** Every row of a paged list, page after page: for views that show or chart the whole set. */
export async function fetchAllPages<T>(fetchPage: (page: number, pageSize: number) => Promise<PageOf<T>>): Promise<PageOf<T>> {
  const first = await fetchPage(1, MAX_PAGE_SIZE)
  const items = [...first.items]
  for (let page = 2; (page - 1) * MAX_PAGE_SIZE < first.total; page++) {
    const next = await fetchPage(page, MAX_PAGE_SIZE)
    if (!next.items.length) break
    items.push(...next.items)
  }
  return { items, total: first.total }
}

export function usePagedList<T>(fetchPage: (page: number, pageSize: number) => Promise<PageOf<T>>, options: PagedListOptions = {}) {
  const page = ref(options.page ?? 1)
  const pageSize = ref(options.pageSize ?? 20)
  const rows = ref([]) as Ref<T[]>
  const total = ref(0)
  const loading = ref(false)
  const ready = ref(false)
  const error = ref<unknown>(null)

  async function load() {
    loading.value = true
    ready.value = false
    error.value = null
    try {
      const answer = await fetchPage(page.value, pageSize.value)
      rows.value = answer.items
      total.value = answer.total
    } catch (exc) {
      error.value = exc
      if (options.clearOnError ?? true) {
        rows.value = []
        total.value = 0
      }
    } finally {
      loading.value = false
      ready.value = true
    }
  }

  /** Back to the first page with the current filters. */
  function search() {
    page.value = 1
    options.beforeReload?.()
    void load()
  }

  watch([page, pageSize], () => {
    options.beforeReload?.()
    void load()
  })

  return { page, pageSize, rows, total, loading, ready, error, load, search }
}
