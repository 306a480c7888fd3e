import { ref, watch, type Ref } from 'vue'
import { listTowns } from '../api/staffing'
import { showError } from '../api/notify'
import { useSession } from './session'

/**
 * The town the clerk is working for, shared by every screen: choosing 东风镇
 * on the staffing screen means 东风镇 in the catalogue too. The list of towns
 * is asked for once per session; a failed attempt is retried by the next
 * screen that asks.
 */
export interface TownState {
  /** Names of all towns, in the backend's order. */
  towns: Ref<string[]>
  /** The chosen town: the account's own, else the first, until the clerk picks another. */
  town: Ref<string | null>
  /** True while the list is being fetched. */
  loading: Ref<boolean>
  /** True once an attempt has finished, successfully or not. */
  loaded: Ref<boolean>
  /** True when the last attempt failed. */
  failed: Ref<boolean>
  /** Settles when the current attempt has finished. */
  ready: Promise<void>
}

const towns = ref<string[]>([])
const town = ref<string | null>(null)
const loading = ref(false)
const loaded = ref(false)
const failed = ref(false)
let pending: Promise<void> | null = null

async function fetchTowns(): Promise<void> {
  loading.value = true
  try {
    towns.value = await listTowns()
    failed.value = false
    if (town.value === null || !towns.value.includes(town.value)) {
      // An account standing for a staff member opens on that person's town.
      const own = useSession().account.value?.staff_town
      town.value = own && towns.value.includes(own) ? own : (towns.value[0] ?? null)
    }
  } catch (err) {
    failed.value = true
    // Let the next screen try again.
    pending = null
    showError(err)
  } finally {
    loading.value = false
    loaded.value = true
  }
}

// Another login (another account, or another database after a switch) starts afresh: the
// towns are fetched again and the choice opens on that account's town.
watch(
  () => useSession().account.value?.username ?? null,
  (now, before) => {
    if (now !== before) resetTownForTests()
  },
)

export function useTown(): TownState {
  if (pending === null) pending = fetchTowns()
  return { towns, town, loading, loaded, failed, ready: pending }
}

/** Forgets everything, as at start-up (and at every change of account). */
export function resetTownForTests(): void {
  towns.value = []
  town.value = null
  loading.value = false
  loaded.value = false
  failed.value = false
  pending = null
}
