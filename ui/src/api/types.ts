// Shapes of the backend's answers. They are generated from the Rust types
// (./generated.ts, by ts-rs; a Rust test fails when that file is stale) and
// re-exported here under the names the screens use. Only what the UI sends
// (steps, lists, paper) and the display orders below are written by hand.

import type { Action, Mode, TicketView } from './generated'

export type {
  Account,
  Action,
  AuthStatus,
  Called,
  TicketView,
  BackupReport,
  CommandError,
  Credential,
  CredentialAlert,
  DatabaseInfo,
  Decision,
  DemandReport,
  Form,
  FormKind,
  HourDemand,
  IdFacts,
  ItemDetail,
  ItemSummary,
  LetterAlert,
  LetterState,
  LetterView,
  ListPage,
  Material,
  MaterialForm,
  Mode,
  Permission,
  PersonOnDate,
  PostDemand,
  Printers,
  RequestDetail,
  RequestView,
  RestoreCheck,
  RetentionReport,
  RetentionStatus,
  RetirementAlert,
  Role,
  RotaPost,
  RotaSeat,
  RotaWeek,
  Source,
  StaffProfile,
  StaffingReport,
  TimelineEntry,
  TownStaffing,
  UnitStaffing,
} from './generated'

export type {
  /** Where a request stands (DESIGN.md "Request lifecycle"). */
  State as RequestState,
  RequestMaterialView as RequestMaterial,
  /** The form and one PNG data URL per page, rendered from the exact PDF that prints. */
  Preview as FormPreview,
  /** What form_print answers once CUPS took the job. */
  Printed as FormPrinted,
  /** What form_save answers once the file is written; form_save answers null when cancelled. */
  Saved as FormSaved,
  /** One issue of a form: who printed it, when, where to, which copy. */
  IssueEntry as FormIssue,
  /** database_test: what is on a server. */
  HallProbe,
} from './generated'

/** The five modes in the order the clerk reads them (most power here first). */
export const MODES: readonly Mode[] = ['delegated', 'empowered', 'entrusted', 'forward', 'city_only']

/** The five actions in the order the authority panel lists them. */
export const ACTIONS: readonly Action[] = ['consult', 'accept', 'approve', 'forward', 'enforce']

export type RequestStep =
  | 'accept'
  | 'refuse'
  | 'forward'
  | 'result'
  | 'decide'
  | 'complete'
  | 'pickup'
  | 'withdraw'
  | 'extend'
  | 'suspend'
  | 'resume'
  | 'explain'
  | 'dept_accept'
  | 'verify'

export type RequestList = 'pending' | 'today' | 'incomplete' | 'forwarded' | 'overdue' | 'all'

/** A4 or A5 for the request forms and the hand-over list; the staffing report is A4 landscape. */
export type Paper = 'a4' | 'a5'

// ---- the hall's front (issue 19) ----
//
// Written by hand for now: the core's `front::Taken`, `front::QueueStats` and
// `front::RatingView` derive ts-rs, but src-tauri/src/ts_types.rs does not list them among its
// roots yet, so ./generated lacks them. They mirror the Rust structs field by field; once the
// roots list them, re-export them from ./generated above and delete these.

/** A ticket just taken (`queue_take`): the ticket, its town and who waits before it. */
export type Taken = TicketView & {
  town: string
  /** People waiting before this ticket at its post. */
  waiting: number
}

/** The figures of some tickets (`front::QueueFigures`). */
export interface QueueFigures {
  tickets: number
  served: number
  skipped: number
  waiting: number
  wait_p50_s: number | null
  wait_p90_s: number | null
  service_p50_s: number | null
}

/** The day's queue figures of a town (`queue_stats`): every hall post, in letter order. */
export interface QueueStats {
  town: string
  on: string
  figures: QueueFigures
  posts: { post: string; letter: string; figures: QueueFigures }[]
  hours: { hour: number; arrivals: number; figures: QueueFigures }[]
}

/** A rating as `rating_list` answers it; a 差评 (grade 1 or 2) carries its follow-up. */
export interface RatingView {
  id: number
  request: string | null
  ticket_id: number | null
  /** 5 非常满意 … 1 非常不满意 (GB/T 39735-2020). */
  grade: number
  grade_label: string
  reasons: string[]
  comment: string | null
  staff_no: string | null
  /** The item's code. */
  item: string | null
  at: string
  /** The 差评回访's number, what `followup_step` takes as `id`. */
  followup_id: number | null
  due: string | null
  /** Whether the follow-up is closed. */
  closed: boolean
  /** Open past its due date. */
  overdue: boolean
  result: string | null
}

/** The steps of a 差评回访, in order (`followup_step`'s `step`). */
export const FOLLOWUP_STEPS = ['contacted', 'verified', 'fixed', 'closed'] as const
export type FollowupStep = (typeof FOLLOWUP_STEPS)[number]

/**
 * The 绿色通道 a ticket may ask for, as the core names them (`front::PRIORITIES`), which the
 * backend checks again; no command lists them.
 */
export const PRIORITIES = ['老年人', '残疾人', '孕妇', '军人', '绿色通道'] as const

/** The five grades of 好差评, best first (`front::GRADES`). */
export const GRADES = [5, 4, 3, 2, 1] as const
