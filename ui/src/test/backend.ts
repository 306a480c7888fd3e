// A stand-in for the Rust side in view tests: each spec declares how the
// commands it expects answer, and any other command fails the test loudly.
import { vi } from 'vitest'
import { invoke } from '@tauri-apps/api/core'
import type { RequestDetail, RequestView } from '../api/types'

export type Handler = (args: Record<string, unknown>) => unknown

/**
 * Routes `invoke(cmd, args)` to `handlers[cmd]`. A handler may return a
 * value, a promise, or throw (a thrown value becomes the rejection, like the
 * backend's `{ code, message }`).
 */
export function fakeBackend(handlers: Record<string, Handler>) {
  const mock = vi.mocked(invoke)
  mock.mockReset()
  mock.mockImplementation(async (cmd: string, args?: unknown) => {
    // On the hall server, the window's commands arrive through hall_call.
    if (cmd === 'hall_call' && !handlers.hall_call) {
      const sent = (args ?? {}) as { cmd: string; args: Record<string, unknown> }
      const inner = handlers[sent.cmd]
      if (!inner) throw new Error(`unexpected command ${sent.cmd} (through hall_call)`)
      return inner(sent.args ?? {})
    }
    const handler = handlers[cmd]
    if (!handler) throw new Error(`unexpected command ${cmd}`)
    return handler((args ?? {}) as Record<string, unknown>)
  })
  return {
    mock,
    /** The argument objects of every call of `cmd`, in order. */
    calls(cmd: string): Record<string, unknown>[] {
      return mock.mock.calls.filter(([c]) => c === cmd).map(([, a]) => (a ?? {}) as Record<string, unknown>)
    },
  }
}

// ---- requests (办件): answers shaped like the backend's, for view tests ----

/** A request as the lists answer; fields not given are an accepted request's. */
export function requestView(over: Partial<RequestView> = {}): RequestView {
  return {
    number: 'DF-20261128-0001',
    item: 'MZ-001',
    item_name: '临时救助',
    pays_out: true,
    state: 'accepted',
    state_label: '已受理',
    town: '东风镇',
    applicant_name: '李玥',
    applicant_id_masked: '5202**********1233',
    phone_masked: '138****5678',
    accepted_on: '2026-11-28',
    due: '2026-12-04',
    calendar_complete: true,
    clerk: '谢喆赟',
    created_on: '2026-11-28',
    missing: [],
    forwarded_to: null,
    forwarded_on: null,
    department_accepted_on: null,
    department_due: null,
    days_passed: null,
    days_left: 5,
    overdue: false,
    result: null,
    opinion: null,
    amount: null,
    reason: null,
    alternative: null,
    extended_days: null,
    extension_reason: null,
    suspended_on: null,
    suspension_reason: null,
    suspension_days: null,
    suspended_days: 0,
    overdue_reason: null,
    agent: null,
    retained_on: null,
    examine_by: null,
    deemed_accepted: false,
    pledged: [],
    pledge_due: null,
    pledge_checked_on: null,
    pledge_truthful: null,
    next_steps: ['decide', 'forward', 'refuse', 'withdraw'],
    forms: ['receipt'],
    ...over,
  }
}

/** A request as request_new, request_show and request_step answer. */
export function requestDetail(over: Partial<RequestDetail> = {}): RequestDetail {
  return {
    ...requestView(),
    materials: [],
    timeline: [],
    ...over,
  }
}
