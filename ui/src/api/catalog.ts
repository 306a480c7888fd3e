import { call } from './invoke'
import type {
  Action,
  Decision,
  ItemDetail,
  ItemSummary,
  LetterAlert,
  Mode,
  StaffProfile,
} from './types'

/** What the clerk typed and chose; null filters mean "all". */
export interface CatalogQuery {
  town: string
  query: string
  mode: Mode | null
  department: string | null
}

/**
 * Searches a town's catalogue. The backend does all the matching (name, code,
 * pinyin initials such as `lsjz` for 临时救助) and filtering; the screen shows
 * what comes back, in that order.
 */
export function catalogSearch(q: CatalogQuery): Promise<ItemSummary[]> {
  return call<ItemSummary[]>('catalog_search', {
    town: q.town,
    query: q.query,
    mode: q.mode,
    department: q.department,
  })
}

/** The departments (实施主体) in a town's catalogue, for the filter. */
export function catalogDepartments(town: string): Promise<string[]> {
  return call<string[]>('catalog_departments', { town })
}

/** One item's page. */
export function catalogItem(town: string, code: string): Promise<ItemDetail> {
  return call<ItemDetail>('catalog_item', { town, code })
}

/** The people at work in a town today, with roles and credentials. */
export function listStaff(town: string): Promise<StaffProfile[]> {
  return call<StaffProfile[]>('list_staff', { town })
}

/**
 * Asks the authority check whether `staff` (a staff number) may do `action`
 * on `item` (an item code) on the day `on` ('YYYY-MM-DD'), or today when null.
 */
export function authority(staff: string, item: string, action: Action, on: string | null): Promise<Decision> {
  return call<Decision>('authority', { staff, item, action, on })
}

/** Letters ending soon, or ended, on `on` ('YYYY-MM-DD'), or today when null. */
export function letterAlerts(town: string, on: string | null): Promise<LetterAlert[]> {
  return call<LetterAlert[]>('letter_alerts', { town, on })
}
