// Shapes of the backend's answers. Field names are the Rust structs' serde
// names (snake_case) and must stay in step with them.

export interface UnitStaffing {
  name: string
  /** 行政 | 事业 | 混合 */
  kind: string
  managed_by: string
  quota: number
  on_roll: number
  seconded_in: number
  seconded_out: number
  on_leave: number
  on_duty: number
  /** Negative when the unit is over its quota. */
  vacancies: number
  over_quota: boolean
  hall_staff: number
  field_staff: number
  enforcement_ok: boolean
}

export interface TownStaffing {
  name: string
  quota: number
  on_roll: number
  seconded_in: number
  seconded_out: number
  on_leave: number
  on_duty: number
  vacancies: number
  over_quota: boolean
  hall_staff: number
  field_staff: number
  units: UnitStaffing[]
}

export interface StaffingReport {
  /** YYYY-MM-DD: the day the figures are for. */
  date: string
  towns: TownStaffing[]
}
