import { call } from './invoke'
import type { StaffingReport } from './types'

/** Names of all towns, in the backend's order. */
export function listTowns(): Promise<string[]> {
  return call<string[]>('list_towns')
}

/**
 * Staffing figures for one town (or every town when `town` is null) on the
 * day `on` ('YYYY-MM-DD'), or today when `on` is null.
 */
export function staffing(town: string | null, on: string | null): Promise<StaffingReport> {
  return call<StaffingReport>('staffing', { town, on })
}
