import { call } from './invoke'
import type { IdFacts, ListPage, RequestDetail, RequestList, RequestStep, RequestView } from './types'

/** What the clerk typed at the counter; the backend checks every field. */
export interface IntakeInput {
  staff: string
  item: string
  name: string
  id: string
  phone: string | null
  /**
   * Sequence numbers (as text) or names of the materials handed in; null
   * means every mandatory material.
   */
  materials: string[] | null
  remark: string | null
  /** 收件待审: receive to examine later (行政许可法第三十二条). */
  examineLater?: boolean
  /** 告知承诺: the materials (sequence numbers as text) the applicant's pledge stands for. */
  pledge?: string[] | null
  /** 帮办代办: who acts for the applicant (all three or none). */
  agent?: { name: string; id: string; relation: string } | null
}

/** Takes in a request: the backend decides accepted, incomplete or refused. */
export function requestNew(input: IntakeInput): Promise<RequestDetail> {
  return call<RequestDetail>('request_new', {
    staff: input.staff,
    item: input.item,
    name: input.name,
    id: input.id,
    phone: input.phone,
    materials: input.materials,
    remark: input.remark,
    // Sent only when given, so that a plain intake's call is what it always was.
    ...(input.examineLater ? { examineLater: true } : {}),
    ...(input.pledge && input.pledge.length ? { pledge: input.pledge } : {}),
    ...(input.agent
      ? { agentName: input.agent.name, agentId: input.agent.id, agentRelation: input.agent.relation }
      : {}),
  })
}

/** Records a consultation (咨询): no intake, state consulted. */
export function requestConsult(staff: string, item: string, name: string | null): Promise<RequestDetail> {
  return call<RequestDetail>('request_consult', { staff, item, name })
}

/** Checks an ID number as the clerk leaves the field: its birth date, age and sex, or the
 * refusal naming the field. Nothing is stored. */
export function identityCheck(id: string): Promise<IdFacts> {
  return call<IdFacts>('identity_check', { id })
}

/** One request with its materials and timeline. */
export function requestShow(number: string): Promise<RequestDetail> {
  return call<RequestDetail>('request_show', { number })
}

export interface StepInput {
  materials?: string[] | null
  reason?: string | null
  department?: string | null
  due?: string | null
  /** approved | refused (a result or decision); true | false (a pledge's check). */
  result?: 'approved' | 'refused' | 'true' | 'false' | null
  /** The approver's opinion with a decision (a grant without one reads 同意。). */
  opinion?: string | null
  /** The amount granted by an item that pays out, in yuan as typed. */
  amount?: string | null
  /** Working days: of an extension (1–10), or a suspension's expected time. */
  days?: string | null
  /** A day the step records (the department's acceptance), YYYY-MM-DD. */
  on?: string | null
}

/** One step on a request; illegal or unauthorised steps are refused by the backend. */
export function requestStep(
  number: string,
  staff: string,
  step: RequestStep,
  input: StepInput = {},
): Promise<RequestDetail> {
  return call<RequestDetail>('request_step', {
    number,
    staff,
    step,
    materials: input.materials ?? null,
    reason: input.reason ?? null,
    department: input.department ?? null,
    due: input.due ?? null,
    result: input.result ?? null,
    opinion: input.opinion ?? null,
    amount: input.amount ?? null,
    days: input.days ?? null,
    on: input.on ?? null,
  })
}

/** By request number, full ID number or its last six, name, or pinyin initials. */
export function requestSearch(town: string, query: string, background = false): Promise<RequestView[]> {
  return call<RequestView[]>('request_search', { town, query, background })
}

/** One of the counter's standing lists; overdue and days come from the backend. */
export function requestList(town: string, list: RequestList, background = false): Promise<ListPage> {
  return call<ListPage>('request_list', { town, list, background })
}

/** The applicant's ID number in full (roles that need it only); the backend records each read. */
export function requestFullId(number: string): Promise<string> {
  return call<string>('request_full_id', { number })
}
