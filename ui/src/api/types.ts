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
  /** Certified officers at work and not at the hall; null for units without an enforcement duty. */
  field_officers: number | null
}

/** A credential that ends within 60 days of the report's date. */
export interface CredentialAlert {
  staff_no: string
  name: string
  unit: string
  kind: string
  number: string
  valid_to: string
  days_left: number
}

/** Someone on roll who reaches retirement age within a year of the report's date. */
export interface RetirementAlert {
  staff_no: string
  name: string
  unit: string
  birth_date: string
  retires_on: string
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
  credentials_expiring: CredentialAlert[]
  retiring_within_a_year: RetirementAlert[]
}

export interface StaffingReport {
  /** YYYY-MM-DD: the day the figures are for. */
  date: string
  towns: TownStaffing[]
}

/** One person of a unit on a date (the unit drill-down). */
export interface PersonOnDate {
  no: string
  name: string
  gender: string
  status: 'on_duty' | 'seconded_out' | 'seconded_in' | 'long_leave'
  /** 在岗 | 借调出 | 借调入 | 长期请假 */
  status_label: string
  /** The body seconded to or from, when there is one. */
  other_body: string | null
  /** On the hall's rota on the date. */
  in_hall: boolean
  posts: string[]
  /** Credentials valid on the date, as one line each. */
  credentials: string[]
  retires_on: string | null
}

export interface RotaSeat {
  staff_no: string
  name: string
  unit: string
}

export interface RotaPost {
  post: string
  /** Monday to Sunday: who is rostered each day. */
  days: RotaSeat[][]
}

/** The rota grid of one week. */
export interface RotaWeek {
  monday: string
  /** The seven dates, Monday first. */
  days: string[]
  posts: RotaPost[]
}

export interface HourDemand {
  /** The hour the counter opens, e.g. 9 for 9:00–10:00. */
  hour: number
  arrivals_per_hour: number
  needed: number
  staffed: number
  /** needed − staffed: positive means too few counters. */
  gap: number
}

export interface PostDemand {
  post: string
  handling_min: number
  /** True when handling_min comes from the history, false for the default. */
  handling_estimated: boolean
  hours: HourDemand[]
}

/** Counters needed (Erlang C) against counters staffed, per post and hour. */
export interface DemandReport {
  town: string
  on: string
  from: string
  to: string
  working_days: number
  target_wait_s: number
  service_level: number
  posts: PostDemand[]
}

// ---- 事项目录 (service-item catalogue) and the authority check ----

/** 权限方式: how this town may handle an item. */
export type Mode = 'delegated' | 'entrusted' | 'forward' | 'city_only'

/** The four modes in the order the clerk reads them (most power here first). */
export const MODES: readonly Mode[] = ['delegated', 'entrusted', 'forward', 'city_only']

/** What a clerk may be about to do with an item. */
export type Action = 'consult' | 'accept' | 'approve' | 'forward' | 'enforce'

/** The five actions in the order the authority panel lists them. */
export const ACTIONS: readonly Action[] = ['consult', 'accept', 'approve', 'forward', 'enforce']

/** One line of a catalogue listing. */
export interface ItemSummary {
  code: string
  name: string
  /** 行政许可 | 行政确认 | 行政给付 | 公共服务 | 行政处罚 | 行政检查 | 其他 */
  item_type: string
  /** 实施主体, e.g. 市自然资源局. */
  department: string
  /** The mode that holds today: an entrusted item without a valid letter reports 'forward'. */
  mode: Mode
  /** The mode the catalogue configures for the town. */
  configured_mode: Mode
  /** Already formatted by the backend, e.g. 5个工作日 or 当场办结. */
  promised: string
  /** 办理窗口. */
  post: string
}

export interface Material {
  seq: number
  name: string
  /** 原件 | 复印件 | 原件和复印件 */
  form: string
  copies: number
  mandatory: boolean
}

export type LetterState = 'valid' | 'expiring' | 'expired' | 'not_yet'

/** An entrustment letter (委托书) as it stands today. */
export interface LetterView {
  number: string
  issuer: string
  /** YYYY-MM-DD */
  valid_from: string
  /** YYYY-MM-DD */
  valid_to: string
  state: LetterState
  days_left: number
}

export interface ItemDetail extends ItemSummary {
  /** 设定依据. */
  legal_basis: string
  /** 法定时限, formatted like `promised`. */
  statutory: string
  fee: string
  materials: Material[]
  /** The town's letters that name this item. */
  letters: LetterView[]
}

export interface Credential {
  /** e.g. 行政执法证 */
  kind: string
  number: string
  /** The department whose enforcement it covers. */
  scope: string
  /** YYYY-MM-DD */
  valid_to: string
}

/** A person at work in the town, with what the authority check looks at. */
export interface StaffProfile {
  no: string
  name: string
  unit: string
  /** 窗口人员 | 审批人员 | 镇领导 | 管理员 */
  roles: string[]
  credentials: Credential[]
}

/** The authority check's answer. All text is Chinese, written by the backend. */
export interface Decision {
  allowed: boolean
  mode: Mode
  basis: string
  reason: string | null
  alternative: string | null
}

/** A letter the hall must hear about. */
export interface LetterAlert {
  number: string
  issuer: string
  /** YYYY-MM-DD */
  valid_to: string
  /** Negative when expired. */
  days_left: number
  state: 'expiring' | 'expired'
  /** Names of the items it covers. */
  items: string[]
}

/** Where a request stands (DESIGN.md "Request lifecycle"). */
export type RequestState =
  | 'consulted'
  | 'incomplete'
  | 'accepted'
  | 'refused'
  | 'forwarded'
  | 'decided'
  | 'completed'
  | 'withdrawn'

export interface RequestMaterial {
  seq: number
  name: string
  form: string
  copies: number
  mandatory: boolean
  received: boolean
}

export interface TimelineEntry {
  at: string
  step: string
  staff_no: string
  staff_name: string
  allowed: boolean
  basis: string
  note: string | null
}

/** A request as lists show it; IDs and phones come masked from the backend. */
export interface RequestView {
  number: string
  item: string
  item_name: string
  state: RequestState
  state_label: string
  town: string
  applicant_name: string | null
  applicant_id_masked: string | null
  phone_masked: string | null
  accepted_on: string | null
  due: string | null
  calendar_complete: boolean
  clerk: string
  created_on: string
  missing: string[]
  forwarded_to: string | null
  forwarded_on: string | null
  department_due: string | null
  days_passed: number | null
  days_left: number | null
  overdue: boolean
  result: 'approved' | 'refused' | null
  reason: string | null
  alternative: string | null
  /**
   * The steps that may be taken next, in the order to offer them: what the
   * lifecycle allows from the state, narrowed by the backend to what the
   * logged-in account's roles may do.
   */
  next_steps: RequestStep[]
  /** The forms that may print now (receipt, notice or refusal; none for some states). */
  forms: FormKind[]
}

export interface RequestDetail extends RequestView {
  materials: RequestMaterial[]
  timeline: TimelineEntry[]
}

export type RequestStep =
  | 'accept'
  | 'refuse'
  | 'forward'
  | 'result'
  | 'decide'
  | 'complete'
  | 'pickup'
  | 'withdraw'

export type RequestList = 'today' | 'incomplete' | 'forwarded' | 'overdue' | 'all'

// ---- printed forms (表单打印) ----

/** receipt 受理回执 | notice 一次性告知书 | refusal 不予受理通知书 | handover 转报交接单 | staffing 编制与在岗情况表 */
export type FormKind = 'receipt' | 'notice' | 'refusal' | 'handover' | 'staffing'

/** A4 or A5 for the request forms and the hand-over list; the staffing report is A4 landscape. */
export type Paper = 'a4' | 'a5'

/** A rendered form as the backend describes it (the PDF bytes stay in the backend). */
export interface Form {
  kind: FormKind
  /** e.g. 受理回执 */
  kind_label: string
  /** e.g. HZ-DF-20261128-0001 */
  form_no: string
  town_id: number
  request_number: string | null
  department: string | null
  /** The issue this print would be (or was): 1, or 2 and up for a reprint (补打). */
  copy: number
  pages: number
}

/** The form and one PNG data URL per page, rendered from the exact PDF that prints. */
export interface FormPreview {
  form: Form
  pages: string[]
}

/** What form_print answers once CUPS took the job. */
export interface FormPrinted {
  form: Form
  copy: number
  /** The CUPS job, e.g. 前台打印机-12. */
  job: string
  /** null when the system default printer was used. */
  printer: string | null
}

/** What form_save answers once the file is written; form_save answers null when cancelled. */
export interface FormSaved {
  form: Form
  copy: number
  /** Where the PDF was written. */
  path: string
}

export interface Printers {
  printers: string[]
  default: string | null
}

/** One issue of a form: who printed it, when, where to, which copy. */
export interface FormIssue {
  form_no: string
  kind: FormKind
  town_id: number
  request_number: string | null
  department: string | null
  staff_no: string | null
  staff_name: string | null
  os_user: string
  /** YYYY-MM-DD HH:MM:SS */
  at: string
  copy: number
  /** printer:NAME or file */
  route: string
  pages: number
  bytes: number
}

// ---- accounts (账号) ----

/** 窗口人员 | 审批人员 | 镇领导 | 管理员 */
export type Role = string

/** What an action needs; each role grants a fixed set (the backend decides). */
export type Permission =
  | 'read_catalog'
  | 'read_requests'
  | 'intake'
  | 'approve'
  | 'print'
  | 'read_full_id'
  | 'view_staffing'
  | 'import'
  | 'manage_accounts'
  | 'backup'

export interface Account {
  username: string
  display_name: string
  /** The staff member the account acts as at the counter. */
  staff_no: string | null
  staff_name: string | null
  /** The town of that staff member: screens open on it. */
  staff_town: string | null
  roles: Role[]
  failed_count: number
  /** 'YYYY-MM-DD HH:MM:SS' while locked after failed logins. */
  locked_until: string | null
  created_at: string
  disabled: boolean
}

export interface AuthStatus {
  needs_setup: boolean
  account: Account | null
  permissions: Permission[]
  idle_minutes: number
}

export interface BackupReport {
  file: string
  pages: number
  bytes: number
  schema_version: number
  previous: string | null
}

/** database_info / database_use: the database this counter works on. */
export interface DatabaseInfo {
  /** 'file' | 'server'; '' when nothing could be chosen. */
  kind: '' | 'file' | 'server'
  /** The file's path, or the server's address without its password. */
  shown: string
  source: 'flag' | 'env' | 'settings' | 'default' | null
  /** False when --db or BIANMIN_DB decides. */
  can_change: boolean
  settings_file: string
  /** Why the database could not be opened. */
  error: string | null
}

/** database_test: what is on a server. */
export interface DatabaseProbe {
  server: string
  server_version: string
  /** 0: no Bianmin data yet. */
  schema_version: number
  supported: boolean
  towns: number
}
