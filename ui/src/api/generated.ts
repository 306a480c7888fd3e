// Generated from the Rust types by ts-rs: do not edit by hand.
// Refresh: BIANMIN_BLESS=1 cargo test -p bianmin-app ts_types (see src-tauri/src/ts_types.rs).

/**
 * A local account as the front ends see it: never its password hash.
 */
export type Account = { username: string, display_name: string, 
/**
 * The staff member the account acts as at the counter.
 */
staff_no: string | null, staff_name: string | null, 
/**
 * The town of that staff member: the one the account's screens open on.
 */
staff_town: string | null, roles: Array<Role>, 
/**
 * Failed logins in a row (kept at the count that locked it while locked).
 */
failed_count: number, 
/**
 * `YYYY-MM-DD HH:MM:SS` while locked after failed logins.
 */
locked_until: string | null, 
/**
 * `YYYY-MM-DD HH:MM:SS`.
 */
created_at: string, disabled: boolean, 
/**
 * A demo account not yet given a password of its own: it may do nothing but change it.
 */
must_change_password: boolean, };

/**
 * An account that a restore adds, removes or changes.
 */
export type AccountChange = { username: string, 
/**
 * In Chinese: 将恢复（仅备份中有）, 将删除（仅当前有）, or what differs (角色, 密码, 停用, 工号).
 */
change: string, };

export type Action = "consult" | "accept" | "approve" | "forward" | "enforce";

/**
 * An agent as screens and paper show them.
 */
export type AgentView = { name: string, id_masked: string, relation: string, };

export type AuthStatus = { 
/**
 * No account exists yet: the window asks for the first administrator.
 */
needs_setup: boolean, 
/**
 * Who is logged in, when someone is and the session is live.
 */
account: Account | null, 
/**
 * What the account's roles allow, for the window to offer only those screens (the commands
 * check again).
 */
permissions: Array<Permission>, 
/**
 * Minutes of inactivity after which the session ends.
 */
idle_minutes: number, };

/**
 * What a backup or restore did.
 */
export type BackupReport = { file: string, pages: number, bytes: number, schema_version: number, 
/**
 * For a restore: where the database as it was before is kept (none when there was no
 * database yet: a replacement PC).
 */
previous: string | null, 
/**
 * SHA-256 of the backup file written, or of the file restored (hex).
 */
sha256: string, 
/**
 * For a restore: the accounts that differ between the database replaced and the backup.
 */
accounts: Array<AccountChange>, };

/**
 * A request behind a figure, as the drill-down list shows it.
 */
export type BehindRow = { number: string, item_name: string, post: string, clerk: string, received_on: string, due: string | null, completed_on: string | null, department: string | null, overdue_reason: string | null, };

/**
 * What a counter's call answers: the ticket called (none: nobody waiting), the post and the
 * counter.
 */
export type Called = { ticket: string | null, post: string | null, counter: number, 
/**
 * The ticket the call finished (the one the counter was serving), if any.
 */
finished: string | null, 
/**
 * Who is still waiting at the counter's posts.
 */
waiting: number, };

export type CommandError = { code: string, 
/**
 * The core's key of the field at fault (`Error::Invalid`); null for other failures.
 */
field: string | null, message: string, };

export type Credential = { kind: string, number: string, 
/**
 * The department whose enforcement it covers, e.g. 市自然资源局.
 */
scope: string, valid_from: string, valid_to: string, };

/**
 * A credential that ends within [`CREDENTIAL_WARNING_DAYS`] of the date.
 */
export type CredentialAlert = { staff_no: string, name: string, unit: string, kind: string, number: string, valid_to: string, days_left: number, };

export type DatabaseInfo = { 
/**
 * "file", "hall" (the hall server), or "server" (a PostgreSQL address from an older
 * setting, which no longer opens); empty when nothing could be chosen.
 */
kind: string, 
/**
 * The file's path, or the server's address (a PostgreSQL one without its password).
 */
shown: string, source: Source | null, 
/**
 * Whether the setting decides (`--db` and `BIANMIN_DB` cannot be changed from here).
 */
can_change: boolean, settings_file: string, 
/**
 * Why the database or the server could not be opened, when it could not.
 */
error: string | null, 
/**
 * The setting that last opened, as shown: where "back" goes while this one does not open.
 */
last_working: string | null, 
/**
 * The hall server's certificate fingerprint this PC pinned (https only).
 */
fingerprint: string | null, };

/**
 * The answer of the authority check.
 */
export type Decision = { allowed: boolean, 
/**
 * The mode that holds on the date (an entrusted item without a valid letter: `forward`).
 */
mode: Mode, 
/**
 * Why it is allowed, or the mode's basis when it is not.
 */
basis: string, reason: string | null, alternative: string | null, 
/**
 * The refusal is about who acts (a role they lack, not at work, no valid 行政执法证), not
 * about the resident's request: the act is bad input for the counter, never a decision the
 * resident receives (issue 16, defect 15).
 */
about_staff: boolean, };

export type DemandReport = { town: string, on: string, from: string, to: string, working_days: number, target_wait_s: number, service_level: number, 
/**
 * Whether the hall opens on `on` (a working day of the official calendar). On a closed day
 * nobody is seated and nobody comes: the posts show what a working day needs, and no gap.
 */
open: boolean, posts: Array<PostDemand>, 
/**
 * The hall's total per open hour ([`hall_totals`]).
 */
totals: Array<HourDemand>, 
/**
 * Whether arrivals, handling times and waits were measured by the hall's tickets (issue
 * 19) rather than estimated from the requests taken in.
 */
measured: boolean, };

/**
 * A city department's turnaround of the requests forwarded to it.
 */
export type DepartmentFigures = { department: string, forwarded: number, answered: number, 
/**
 * Answered by the department's due date.
 */
answered_on_time: number, 
/**
 * Working days from forwarding to the answer: the median and the 90th percentile (nearest
 * rank).
 */
median_days: number | null, p90_days: number | null, overdue_now: number, score: number, };

/**
 * What a device is.
 */
export type DeviceKind = "kiosk" | "screen" | "pad";

/**
 * A device as the administrator's list shows it.
 */
export type DeviceView = { id: number, town: string, kind: DeviceKind, kind_label: string, staff_no: string | null, label: string, opened_by: string, opened_at: string, closed_at: string | null, 
/**
 * The page the device opens on the hall server: `/hall/kiosk` and so on.
 */
page: string, };

/**
 * The classes a request falls in; each figure counts one.
 */
export type Figure = "received" | "consulted" | "accepted" | "completed" | "on_time" | "early" | "late" | "on_the_spot" | "refused" | "forwarded" | "answered" | "open" | "overdue_now";

/**
 * A hall's follow-up period for 差评, as `followup_period` answers it.
 */
export type FollowupPeriod = { town: string, 
/**
 * Working days a 差评's follow-up is due in.
 */
days: number, };

/**
 * A rendered form, ready to save, preview or print.
 */
export type Form = { kind: FormKind, kind_label: string, form_no: string, town_id: number, request_number: string | null, department: string | null, 
/**
 * Which issue of this form number it is: 1, or 2 and up for a reprint.
 */
copy: number, pages: number, };

/**
 * The kinds of printed form. Which of them a request may print in each state is in
 * [`LIFECYCLE`].
 */
export type FormKind = "receipt" | "collection" | "notice" | "refusal" | "decision" | "extension" | "suspension" | "pledge" | "guide" | "handover" | "staffing" | "closing";

/**
 * A provincial decision that gives a power to townships (赋权文件): its number and date.
 */
export type Grant = { number: string, on: string, };

/**
 * One group's figures (a post, a clerk, an item).
 */
export type GroupFigures = { key: string, name: string, on_time_rate: Rate, received: number, consulted: number, accepted: number, completed: number, on_time: number, early: number, late: number, on_the_spot: number, refused: number, forwarded: number, answered: number, open: number, overdue_now: number, };

/**
 * What a hall server shows before this PC trusts it: its certificate's fingerprint (https),
 * for the administrator to compare with the one the server printed, and the one pinned here.
 */
export type HallProbe = { shown: string, fingerprint: string | null, pinned: string | null, };

export type HourDemand = { hour: number, arrivals_per_hour: number, needed: number, staffed: number, 
/**
 * Needed − staffed: positive means too few counters.
 */
gap: number, 
/**
 * The median wait residents actually had (ticket to call), in seconds, when the hall's
 * tickets measured it; `None` without tickets.
 */
wait_p50_s: number | null, };

export type HourFigures = { hour: number, 
/**
 * Tickets taken in that hour.
 */
arrivals: number, tickets: number, served: number, skipped: number, waiting: number, 
/**
 * Seconds from taking a ticket to its first call: median and 90th percentile.
 */
wait_p50_s: number | null, wait_p90_s: number | null, 
/**
 * Seconds from the call to the finish: median.
 */
service_p50_s: number | null, };

/**
 * What a counter sees beside an ID number once it is typed: the birth date, the age and the
 * sex the number gives (age decides items such as 高龄津贴), and the number masked.
 */
export type IdFacts = { birth_date: string, 
/**
 * Full years on `today` (周岁): one more on each birthday; born on 29 February, on 1 March
 * of a common year.
 */
age: number, 
/**
 * 男 or 女.
 */
sex: string, masked: string, };

/**
 * One issue of a form, with the name of who issued it.
 */
export type IssueEntry = { 
/**
 * The name of the person who printed it, when the staff number is known.
 */
staff_name: string | null, form_no: string, 
/**
 * receipt, notice, refusal, handover or staffing.
 */
kind: string, town_id: number, request_number: string | null, department: string | null, staff_no: string | null, os_user: string, at: string, 
/**
 * 1 for the first issue, 2 and up for reprints.
 */
copy: number, 
/**
 * Where it went: "printer:NAME", "file" or "preview".
 */
route: string, pages: number, bytes: number, };

/**
 * An item's page.
 */
export type ItemDetail = { legal_basis: string, statutory: string, fee: string, materials: Array<Material>, 
/**
 * The town's letters that name this item.
 */
letters: Array<LetterView>, 
/**
 * 办理地点, 办理时间, 咨询电话.
 */
office: Office, 
/**
 * The 实施清单's codes and terms; whether a pledge may stand for materials.
 */
listing: Listing, 
/**
 * The provincial decision of an empowered item.
 */
grant: Grant | null, code: string, name: string, item_type: string, department: string, 
/**
 * The mode on the date asked about (an entrusted item without a valid letter: forward).
 */
mode: Mode, 
/**
 * The mode the catalogue configures for the town.
 */
configured_mode: Mode, promised: string, post: string, };

/**
 * One line of a catalogue listing.
 */
export type ItemSummary = { code: string, name: string, item_type: string, department: string, 
/**
 * The mode on the date asked about (an entrusted item without a valid letter: forward).
 */
mode: Mode, 
/**
 * The mode the catalogue configures for the town.
 */
configured_mode: Mode, promised: string, post: string, };

/**
 * A letter the hall must hear about: ending within 30 days, or ended while some item it
 * covered has no other valid letter (so that item has fallen back to accept-and-forward).
 */
export type LetterAlert = { number: string, issuer: string, valid_to: string, days_left: number, state: LetterState, 
/**
 * Names of the items it covers.
 */
items: Array<string>, };

/**
 * Where a letter stands on a date.
 */
export type LetterState = "not_yet" | "valid" | "expiring" | "expired";

export type LetterView = { number: string, issuer: string, valid_from: string, valid_to: string, state: LetterState, days_left: number, };

/**
 * A list as a screen shows it: the newest [`LIST_LIMIT`] rows, and whether more exist, so that
 * the screen says it shows only the first ones rather than stopping silently.
 */
export type ListPage = { rows: Array<RequestView>, 
/**
 * More requests are on this list than `rows` holds.
 */
more: boolean, 
/**
 * The most rows a list holds.
 */
limit: number, };

/**
 * What a province's 实施清单 says of an item beyond what the counter works with
 * (GB/T 39554.1-2020), exchanged with the rest of the catalogue; empty where a file does not say.
 */
export type Listing = { 
/**
 * 基本编码 and 实施编码.
 */
basic_code: string, impl_code: string, 
/**
 * 办件类型: 即办件 or 承诺件.
 */
case_kind: string, 
/**
 * 到办事现场次数 (0 to 9).
 */
visits: number | null, 
/**
 * 受理条件.
 */
conditions: string, 
/**
 * 可告知承诺: named materials may be replaced by the applicant's signed pledge.
 */
pledge: boolean, };

export type Material = { seq: number, name: string, form: MaterialForm, copies: number, mandatory: boolean, 
/**
 * 可承诺替代: under 告知承诺 the applicant's signed pledge may stand for it (国办发〔2020〕42号).
 */
pledgeable: boolean, };

export type MaterialForm = "原件" | "复印件" | "原件和复印件";

/**
 * How a town may handle an item (权限方式).
 */
export type Mode = "delegated" | "entrusted" | "forward" | "city_only" | "empowered";

/**
 * A rate the report shows: its name, the figures it divides, and the rate.
 */
export type NamedRate = { key: string, label: string, 
/**
 * The figures divided, named apart from the rate's own `numerator` and `denominator` (its
 * counts, flattened beside them), so that the JSON has each key once.
 */
numerator_figure: Figure, denominator_figure: Figure, numerator: number, denominator: number, 
/**
 * In tenths of a per cent, rounded half up; none over nothing.
 */
permille: number | null, };

/**
 * Where an item is handled, in which hours and whom to call (办理地点, 办理时间, 咨询电话 of the
 * 实施清单); empty where the catalogue does not say. What a resident sent to another body is
 * told on the 办事指引 (issue 16 point 4).
 */
export type Office = { place: string, hours: string, phone: string, };

/**
 * A device just opened: its token is shown this once, as the link the device opens.
 */
export type Opened = { device: DeviceView, token: string, 
/**
 * The page and the token, to be put after the server's address:
 * `/hall/screen#device=TOKEN`. The page keeps the token and removes it from the address.
 */
link: string, };

/**
 * An overdue request as the report lists it, with the reason given.
 */
export type OverdueRequest = { number: string, item_name: string, post: string, clerk: string, due: string | null, department: string | null, reason: string | null, };

/**
 * What an action needs. Each role grants a fixed set ([`Role::grants`]).
 */
export type Permission = "read_catalog" | "read_requests" | "intake" | "approve" | "extend" | "print" | "read_full_id" | "view_staffing" | "import" | "manage_accounts" | "backup" | "follow_up";

/**
 * One person of a unit on a date, for the unit drill-down.
 */
export type PersonOnDate = { no: string, name: string, gender: string, 
/**
 * on_duty, seconded_out, seconded_in, long_leave.
 */
status: string, status_label: string, other_body: string | null, 
/**
 * On the hall's rota that week.
 */
in_hall: boolean, 
/**
 * The hall posts rostered.
 */
posts: Array<string>, 
/**
 * Credentials valid on the date: "行政执法证 黔执020001（市自然资源局，至 2028-12-31）".
 */
credentials: Array<string>, retires_on: string | null, };

export type PostDemand = { post: string, handling_min: number, 
/**
 * Whether `handling_min` comes from the history (or is the default).
 */
handling_estimated: boolean, hours: Array<HourDemand>, 
/**
 * Why a post with a gap is short: the units whose people sit at it, their vacancies and
 * secondments, and who of its rota is away on the day. Empty when no hour has a gap.
 */
short: Array<Shortfall>, };

export type PostFigures = { post: string, letter: string, tickets: number, served: number, skipped: number, waiting: number, 
/**
 * Seconds from taking a ticket to its first call: median and 90th percentile.
 */
wait_p50_s: number | null, wait_p90_s: number | null, 
/**
 * Seconds from the call to the finish: median.
 */
service_p50_s: number | null, };

/**
 * A post's staffing beside its service figures: on the range's last day, the counters the
 * queue model needs at the busiest hour, the counters the rota seats, the hours short, and
 * whose vacancies and secondments leave it short ([`crate::demand`]).
 */
export type PostStaffing = { post: string, needed_peak: number, staffed: number, short_hours: number, short: Array<Shortfall>, };

export type Preview = { form: Form, 
/**
 * One `data:image/png;base64,…` per page, first page first.
 */
pages: Array<string>, };

export type Printed = { form: Form, 
/**
 * Which issue of the form this was: 1, or 2 and up for a reprint (补打).
 */
copy: number, 
/**
 * The CUPS job, e.g. `bianmin-test-12`.
 */
job: string, 
/**
 * The printer it went to; `None` when CUPS chose its default.
 */
printer: string | null, };

/**
 * The printers there are.
 */
export type Printers = { 
/**
 * The destinations, in the system's order; empty when there are none or the printing
 * service is not running.
 */
printers: Array<string>, 
/**
 * The system default destination, if one is set.
 */
default: string | null, };

/**
 * `queue stats`: a town's day at the queue.
 */
export type QueueStats = { town: string, on: string, posts: Array<PostFigures>, hours: Array<HourFigures>, tickets: number, served: number, skipped: number, waiting: number, 
/**
 * Seconds from taking a ticket to its first call: median and 90th percentile.
 */
wait_p50_s: number | null, wait_p90_s: number | null, 
/**
 * Seconds from the call to the finish: median.
 */
service_p50_s: number | null, };

/**
 * A figure's count, or a rate with both its numbers.
 */
export type Rate = { numerator: number, denominator: number, 
/**
 * In tenths of a per cent, rounded half up; none over nothing.
 */
permille: number | null, };

/**
 * A rating as lists show it.
 */
export type RatingView = { id: number, request: string | null, ticket_id: number | null, grade: number, grade_label: string, reasons: Array<string>, comment: string | null, staff_no: string | null, item: string | null, at: string, followup_id: number | null, due: string | null, 
/**
 * Whether the follow-up is closed.
 */
closed: boolean, 
/**
 * Open past its due date.
 */
overdue: boolean, result: string | null, };

/**
 * The report of a town over a range.
 */
export type Report = { town: string, from: string, to: string, today: string, rates: Array<NamedRate>, overdue: Array<OverdueRequest>, by_department: Array<DepartmentFigures>, department_score: string, by_post: Array<GroupFigures>, by_clerk: Array<GroupFigures>, by_item: Array<GroupFigures>, 
/**
 * The trend: each week taken in, by its Monday.
 */
by_week: Array<GroupFigures>, 
/**
 * The county's view: each town.
 */
by_town: Array<GroupFigures>, 
/**
 * A town's posts: the staffing beside the service figures (none in the county's view).
 */
post_staffing: Array<PostStaffing>, satisfaction: Satisfaction, received: number, consulted: number, accepted: number, completed: number, on_time: number, early: number, late: number, on_the_spot: number, refused: number, forwarded: number, answered: number, open: number, overdue_now: number, };

export type RequestDetail = { materials: Array<RequestMaterialView>, timeline: Array<TimelineEntry>, number: string, item: string, item_name: string, 
/**
 * The item pays out (行政给付): a grant names its amount.
 */
pays_out: boolean, state: State, state_label: string, town: string, applicant_name: string | null, applicant_id_masked: string | null, phone_masked: string | null, accepted_on: string | null, due: string | null, 
/**
 * Received for examination: the last day to accept or give the one-time notice.
 */
examine_by: string | null, 
/**
 * Received for examination and not examined in time: accepted from the day of receipt
 * (行政许可法第三十二条), `accepted_on` and `due` say so.
 */
deemed_accepted: boolean, calendar_complete: boolean, clerk: string, created_on: string, 
/**
 * Names of the mandatory materials not yet handed in.
 */
missing: Array<string>, forwarded_to: string | null, forwarded_on: string | null, 
/**
 * The day the department accepted the forwarded request; its clock runs from then.
 */
department_accepted_on: string | null, department_due: string | null, 
/**
 * Working days since forwarding (forwarded requests).
 */
days_passed: number | null, 
/**
 * Working days left to the relevant due date; negative when overdue.
 */
days_left: number | null, overdue: boolean, result: string | null, 
/**
 * The approver's opinion (审批意见) with the decision.
 */
opinion: string | null, 
/**
 * The amount a decision granted, as printed: `1,200.00 元`.
 */
amount: string | null, reason: string | null, alternative: string | null, 
/**
 * An extension's working days and reason (行政许可法第四十二条).
 */
extended_days: number | null, extension_reason: string | null, 
/**
 * While the clock is stopped: since when; the last suspension's reason and expected days.
 */
suspended_on: string | null, suspension_reason: string | null, suspension_days: number | null, 
/**
 * Working days the clock stood still over the suspensions that ended.
 */
suspended_days: number, 
/**
 * Why it is late, once given (逾期说明).
 */
overdue_reason: string | null, 
/**
 * Who acts for the applicant (帮办代办), the ID number masked.
 */
agent: AgentView | null, 
/**
 * The day the full numbers were replaced by their masked forms, once the retention period
 * after the request ended had passed (issue 17 point 2).
 */
retained_on: string | null, 
/**
 * 告知承诺: the materials a signed pledge stands for, the day it is to be checked by, and
 * the check (when; whether true).
 */
pledged: Array<string>, pledge_due: string | null, pledge_checked_on: string | null, pledge_truthful: boolean | null, 
/**
 * The steps the lifecycle allows from the state, in the order a screen offers them; the
 * app narrows them to what the logged-in account's roles may do.
 */
next_steps: Array<StepKind>, 
/**
 * The forms the request may print now.
 */
forms: Array<FormKind>, };

export type RequestMaterialView = { seq: number, name: string, form: MaterialForm, copies: number, mandatory: boolean, received: boolean, };

export type RequestView = { number: string, item: string, item_name: string, 
/**
 * The item pays out (行政给付): a grant names its amount.
 */
pays_out: boolean, state: State, state_label: string, town: string, applicant_name: string | null, applicant_id_masked: string | null, phone_masked: string | null, accepted_on: string | null, due: string | null, 
/**
 * Received for examination: the last day to accept or give the one-time notice.
 */
examine_by: string | null, 
/**
 * Received for examination and not examined in time: accepted from the day of receipt
 * (行政许可法第三十二条), `accepted_on` and `due` say so.
 */
deemed_accepted: boolean, calendar_complete: boolean, clerk: string, created_on: string, 
/**
 * Names of the mandatory materials not yet handed in.
 */
missing: Array<string>, forwarded_to: string | null, forwarded_on: string | null, 
/**
 * The day the department accepted the forwarded request; its clock runs from then.
 */
department_accepted_on: string | null, department_due: string | null, 
/**
 * Working days since forwarding (forwarded requests).
 */
days_passed: number | null, 
/**
 * Working days left to the relevant due date; negative when overdue.
 */
days_left: number | null, overdue: boolean, result: string | null, 
/**
 * The approver's opinion (审批意见) with the decision.
 */
opinion: string | null, 
/**
 * The amount a decision granted, as printed: `1,200.00 元`.
 */
amount: string | null, reason: string | null, alternative: string | null, 
/**
 * An extension's working days and reason (行政许可法第四十二条).
 */
extended_days: number | null, extension_reason: string | null, 
/**
 * While the clock is stopped: since when; the last suspension's reason and expected days.
 */
suspended_on: string | null, suspension_reason: string | null, suspension_days: number | null, 
/**
 * Working days the clock stood still over the suspensions that ended.
 */
suspended_days: number, 
/**
 * Why it is late, once given (逾期说明).
 */
overdue_reason: string | null, 
/**
 * Who acts for the applicant (帮办代办), the ID number masked.
 */
agent: AgentView | null, 
/**
 * The day the full numbers were replaced by their masked forms, once the retention period
 * after the request ended had passed (issue 17 point 2).
 */
retained_on: string | null, 
/**
 * 告知承诺: the materials a signed pledge stands for, the day it is to be checked by, and
 * the check (when; whether true).
 */
pledged: Array<string>, pledge_due: string | null, pledge_checked_on: string | null, pledge_truthful: boolean | null, 
/**
 * The steps the lifecycle allows from the state, in the order a screen offers them; the
 * app narrows them to what the logged-in account's roles may do.
 */
next_steps: Array<StepKind>, 
/**
 * The forms the request may print now.
 */
forms: Array<FormKind>, };

/**
 * A backup chosen in the open dialog, checked as a restore would check it, and the accounts it
 * would change: what the administrator confirms before anything is applied (issue 17).
 */
export type RestoreCheck = { file: string, accounts: Array<AccountChange>, };

/**
 * What a run changed, or a dry run would change.
 */
export type RetentionReport = { dry_run: boolean, years: number, cutoff: string, 
/**
 * Requests changed.
 */
requests: number, 
/**
 * Of them: a person's ID number masked, a phone masked, an agent's ID number masked.
 */
ids: number, phones: number, agents: number, earliest_closed: string | null, latest_closed: string | null, 
/**
 * The first request numbers changed, at most twenty.
 */
numbers: Array<string>, summary: string, };

/**
 * The setting as the administrator's screen and `bianmin retention show` present it.
 */
export type RetentionStatus = { 
/**
 * Whole years after a request ends; `None` while no period is set.
 */
years: number | null, 
/**
 * When the period was set, China time.
 */
set_at: string | null, 
/**
 * Requests that ended on or before this day are due today.
 */
cutoff: string | null, 
/**
 * Requests whose numbers were already replaced.
 */
retained: number, 
/**
 * Requests due today and not yet retained (0 while no period is set).
 */
due: number, 
/**
 * One sentence for the screen.
 */
summary: string, };

/**
 * Someone on roll who reaches retirement age within a year of the date.
 */
export type RetirementAlert = { staff_no: string, name: string, unit: string, birth_date: string, retires_on: string, 
/**
 * 退休类别: 男, 女干部 or 女职工.
 */
track: string, 
/**
 * Already past retirement age on the date yet still on the roll: to be checked (the
 * roster lacks a 退休 period), never "retiring within a year".
 */
past: boolean, };

/**
 * What a person may do in the hall (DESIGN.md: roles, in `staff list` and everywhere).
 */
export type Role = "窗口人员" | "审批人员" | "镇领导" | "管理员" | "县级领导";

export type RotaPost = { post: string, 
/**
 * Monday to Sunday, who is rostered on each day.
 */
days: Array<Array<RotaSeat>>, };

/**
 * Who sits where in the week of a date.
 */
export type RotaSeat = { staff_no: string, name: string, unit: string, };

export type RotaWeek = { monday: string, days: Array<string>, posts: Array<RotaPost>, };

/**
 * Satisfaction over the range: ratings given in it and their follow-ups.
 */
export type Satisfaction = { ratings: number, 
/**
 * Counts per grade, 5 非常满意 first.
 */
grades: Array<[number, string, number]>, 
/**
 * 满意率: 非常满意, 满意 and 基本满意 over all ratings.
 */
satisfied: Rate, 
/**
 * 差评 follow-ups opened in the range, closed by their due date, and open past it now.
 */
followups: number, followups_closed_on_time: Rate, followups_overdue_now: number, };

export type Saved = { form: Form, copy: number, 
/**
 * Where the file was written.
 */
path: string, };

/**
 * One unit's part in a post's shortage.
 */
export type Shortfall = { unit: string, 
/**
 * Quota − on roll (空编).
 */
vacancies: number, seconded_out: number, on_leave: number, 
/**
 * The unit's people on the post's rota that weekday who are away on the day, with why:
 * 张三（借调出）.
 */
away: Array<string>, };

/**
 * Where the chosen database came from, strongest first.
 */
export type Source = "flag" | "env" | "settings" | "default";

/**
 * A person with what the authority check needs to know.
 */
export type StaffProfile = { no: string, name: string, 
/**
 * The unit the person works in (home unit, or host unit when seconded in).
 */
unit: string, town: string, roles: Array<Role>, credentials: Array<Credential>, };

export type StaffingReport = { date: string, towns: Array<TownStaffing>, };

export type State = "consulted" | "incomplete" | "accepted" | "refused" | "forwarded" | "decided" | "completed" | "withdrawn" | "suspended" | "revoked" | "received";

/**
 * Which step, without what it carries: the lifecycle's vocabulary, and what a request's
 * `next_steps` lists.
 */
export type StepKind = "accept" | "refuse" | "forward" | "result" | "decide" | "complete" | "pickup" | "withdraw" | "extend" | "suspend" | "resume" | "explain" | "dept_accept" | "verify";

/**
 * A ticket just taken: what the slip prints.
 */
export type Taken = { town: string, 
/**
 * People waiting before this ticket at its post.
 */
waiting: number, ticket: string, post: string, state: TicketState, state_label: string, priority: string | null, taken_at: string, called_at: string | null, counter: number | null, staff_no: string | null, requests: Array<string>, };

/**
 * Where a ticket is.
 */
export type TicketState = "waiting" | "called" | "finished" | "skipped";

/**
 * A ticket as screens, slips and the command line show it.
 */
export type TicketView = { ticket: string, post: string, state: TicketState, state_label: string, priority: string | null, taken_at: string, called_at: string | null, counter: number | null, staff_no: string | null, requests: Array<string>, };

export type TimelineEntry = { at: string, step: string, staff_no: string, staff_name: string, allowed: boolean, basis: string, note: string | null, };

export type TownStaffing = { name: string, units: Array<UnitStaffing>, credentials_expiring: Array<CredentialAlert>, retiring_within_a_year: Array<RetirementAlert>, quota: number, on_roll: number, seconded_in: number, seconded_out: number, on_leave: number, on_duty: number, 
/**
 * Quota − on roll; negative means over quota.
 */
vacancies: number, over_quota: boolean, 
/**
 * Staff at work who are on the hall's rota on the date.
 */
hall_staff: number, 
/**
 * Staff left for the unit's own field work: on duty − hall staff.
 */
field_staff: number, 
/**
 * 空编率 in tenths of a per cent: vacancies ÷ quota, rounded half away from zero (394 is
 * 39.4 %; negative over quota); none without a quota.
 */
vacancy_permille: number | null, };

export type UnitStaffing = { name: string, kind: string, managed_by: string, 
/**
 * False when the unit's certified enforcement officers left for field work number fewer
 * than two; true for units without an enforcement duty.
 */
enforcement_ok: boolean, 
/**
 * Certified officers at work and not at the hall (units with an enforcement duty).
 */
field_officers: number | null, quota: number, on_roll: number, seconded_in: number, seconded_out: number, on_leave: number, on_duty: number, 
/**
 * Quota − on roll; negative means over quota.
 */
vacancies: number, over_quota: boolean, 
/**
 * Staff at work who are on the hall's rota on the date.
 */
hall_staff: number, 
/**
 * Staff left for the unit's own field work: on duty − hall staff.
 */
field_staff: number, 
/**
 * 空编率 in tenths of a per cent: vacancies ÷ quota, rounded half away from zero (394 is
 * 39.4 %; negative over quota); none without a quota.
 */
vacancy_permille: number | null, };
