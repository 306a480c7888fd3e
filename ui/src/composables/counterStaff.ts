import { readRemembered, writeRemembered } from './remembered'

/**
 * The staff number chosen at this counter, remembered between sessions: a
 * counter's computer is used by the same person most days.
 */
export const STAFF_STORAGE_KEY = 'bianmin.counterCheck.staff'

export function rememberedStaff(): string | null {
  return readRemembered(STAFF_STORAGE_KEY)
}

export function rememberStaff(no: string | null): void {
  writeRemembered(STAFF_STORAGE_KEY, no)
}
