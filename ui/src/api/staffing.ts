import { call } from './invoke'
import type { DemandReport, PersonOnDate, RotaWeek, StaffingReport } from './types'

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

/** The people of one unit of a town on the day `on` (today when null). */
export function unitPeople(town: string, unit: string, on: string | null): Promise<PersonOnDate[]> {
  return call<PersonOnDate[]>('unit_people', { town, unit, on })
}

/** The hall rota of the week holding `on` (today when null). */
export function rotaWeek(town: string, on: string | null): Promise<RotaWeek> {
  return call<RotaWeek>('rota_week', { town, on })
}

/**
 * Counters needed per post and hour against those staffed. The target
 * (wait in seconds, share of residents served within it) is the backend's
 * default, 900 s and 0.8, when null.
 */
export function staffingDemand(
  town: string,
  on: string | null,
  targetWaitS: number | null = null,
  serviceLevel: number | null = null,
): Promise<DemandReport> {
  return call<DemandReport>('staffing_demand', { town, on, targetWaitS, serviceLevel })
}

/**
 * Saves the town's figures on `on` as .xlsx where the leader chooses; the
 * path written, or null when the save dialog was cancelled.
 */
export function staffingExportXlsx(town: string, on: string | null): Promise<string | null> {
  return call<string | null>('staffing_export_xlsx', { town, on })
}
