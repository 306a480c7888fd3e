import { ref, type Ref } from 'vue'
import type { Mode } from '../api/types'

/**
 * What the clerk last searched for in the catalogue. It outlives the list
 * screen, so that going back from an item page (or from another menu entry)
 * finds the same search, filters and row again.
 */
export interface CatalogSearchState {
  query: Ref<string>
  mode: Ref<Mode | null>
  department: Ref<string | null>
  /** The town the filters were chosen for: a department belongs to one town. */
  town: Ref<string | null>
  /** The item opened last, to highlight it again on return. */
  lastCode: Ref<string | null>
}

const state: CatalogSearchState = {
  query: ref(''),
  mode: ref(null),
  department: ref(null),
  town: ref(null),
  lastCode: ref(null),
}

export function useCatalogSearch(): CatalogSearchState {
  return state
}

/** Forgets the search, as at start-up. For tests only. */
export function resetCatalogSearchForTests(): void {
  state.query.value = ''
  state.mode.value = null
  state.department.value = null
  state.town.value = null
  state.lastCode.value = null
}
