// Shapes of the backend's answers. They are generated from the Rust types
// (./generated.ts, by ts-rs; a Rust test fails when that file is stale) and
// re-exported here under the names the screens use. Only what the UI sends
// (steps, lists, paper) and the display orders below are written by hand.

import type { Action, Mode } from './generated'

export type {
  Account,
  Action,
  AuthStatus,
  Called,
  TicketView,
  Taken,
  QueueStats,
  PostFigures,
  HourFigures,
  RatingView,
  DeviceKind,
  DeviceView,
  Opened as DeviceOpened,
  FollowupPeriod,
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
  Shortfall,
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
  /** 办件绩效报表 (issue 20): the figures of a range, their rates, groups and the staffing beside. */
  Report as PerformanceReport,
  /** A request behind a figure of the report, as the drill-down lists it. */
  BehindRow,
  DepartmentFigures,
  Figure,
  GroupFigures,
  NamedRate,
  OverdueRequest,
  PostStaffing,
  Rate,
  Satisfaction,
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
