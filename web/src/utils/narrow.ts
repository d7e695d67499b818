// Whether the screen is narrow (phones, ≤ 768 px): the layout then moves the menu into a
// drawer. The same breakpoint as the @media rules of styles.css.
import { onBeforeUnmount, ref, type Ref } from 'vue'

export const NARROW_QUERY = '(max-width: 768px)'

/** A ref that follows the narrow-screen media query while the calling component lives. */
export function useNarrow(): Ref<boolean> {
  const query = window.matchMedia(NARROW_QUERY)
  const narrow = ref(query.matches)
  const follow = (event: MediaQueryListEvent) => {
    narrow.value = event.matches
  }
  query.addEventListener('change', follow)
  onBeforeUnmount(() => query.removeEventListener('change', follow))
  return narrow
}
