// Staffing answers shaped like the backend's, for component and view tests.
import type { TownStaffing, UnitStaffing } from '../api/types'

/** A unit with every figure zero unless given. */
export function unitStaffing(over: Partial<UnitStaffing> = {}): UnitStaffing {
  return {
    name: '',
    kind: '行政',
    managed_by: '',
    quota: 0,
    on_roll: 0,
    seconded_in: 0,
    seconded_out: 0,
    on_leave: 0,
    on_duty: 0,
    vacancies: 0,
    over_quota: false,
    hall_staff: 0,
    field_staff: 0,
    vacancy_permille: null,
    enforcement_ok: true,
    field_officers: null,
    ...over,
  }
}

/** A town with every figure zero, no units and no alerts unless given. */
export function townStaffing(over: Partial<TownStaffing> = {}): TownStaffing {
  return {
    name: '',
    quota: 0,
    on_roll: 0,
    seconded_in: 0,
    seconded_out: 0,
    on_leave: 0,
    on_duty: 0,
    vacancies: 0,
    over_quota: false,
    hall_staff: 0,
    field_staff: 0,
    vacancy_permille: null,
    units: [],
    credentials_expiring: [],
    retiring_within_a_year: [],
    ...over,
  }
}
