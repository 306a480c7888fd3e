/**
 * The staff number chosen at this counter, remembered between sessions: a
 * counter's computer is used by the same person most days.
 */
export const STAFF_STORAGE_KEY = 'bianmin.counterCheck.staff'

export function rememberedStaff(): string | null {
  try {
    return window.localStorage.getItem(STAFF_STORAGE_KEY)
  } catch {
    return null
  }
}

export function rememberStaff(no: string | null): void {
  try {
    if (no) window.localStorage.setItem(STAFF_STORAGE_KEY, no)
    else window.localStorage.removeItem(STAFF_STORAGE_KEY)
  } catch {
    // Storage may be unavailable; the choice then lasts for this page only.
  }
}
