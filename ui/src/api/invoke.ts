import { invoke } from '@tauri-apps/api/core'
import { i18n } from '../i18n'
import type { CommandError } from './generated'

/**
 * A failed backend command. The backend rejects with `{ code, field, message }`
 * (`CommandError` in ./generated), where `message` is already written in
 * Chinese for the clerk; `code` is for code that must react differently to
 * one kind of failure, and `field` is the core's key of the input at fault
 * (`id`, `name`, `item`, …) when the input was refused, null otherwise.
 */
export class BackendError extends Error {
  readonly code: string
  readonly field: string | null

  constructor(code: string, message: string, options?: { cause?: unknown; field?: string | null }) {
    super(message, options)
    this.name = 'BackendError'
    this.code = code
    this.field = options?.field ?? null
  }
}

/** Code given to rejections that do not have the backend's error shape. */
export const UNEXPECTED = 'unexpected'

function isBackendShape(value: unknown): value is CommandError {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.code === 'string' &&
    typeof v.message === 'string' &&
    (v.field === undefined || v.field === null || typeof v.field === 'string')
  )
}

/**
 * Turns whatever a command rejected with into a BackendError. Anything that
 * is not the backend's own `{ code, field, message }` (a panic string, an unknown
 * command, running outside Tauri) carries text not meant for the clerk: it
 * is kept as `cause` for the console and replaced by a general message.
 */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw
  if (isBackendShape(raw)) return new BackendError(raw.code, raw.message, { field: raw.field ?? null })
  return new BackendError(UNEXPECTED, i18n.global.t('errors.unexpected'), { cause: raw })
}

/** Codes meaning the window no longer has a live session: it must ask for a login. */
export const SESSION_LOST = ['not_logged_in', 'session_expired'] as const

let sessionLost: ((error: BackendError) => void) | null = null

/** Registers what happens when a command answers that the session is gone. */
export function onSessionLost(handler: ((error: BackendError) => void) | null): void {
  sessionLost = handler
}

/**
 * The commands that run on this PC even when it works through the hall server: the setting,
 * the transport, and what needs this PC's printers and dialogs (the server makes the forms and
 * the workbook). Every other command goes to the server, which checks the session and the role.
 * The backend holds the same list (`hall::ON_THIS_PC`, tested to match).
 */
const ON_THIS_PC = [
  'database_info',
  'database_test',
  'database_use',
  'database_recover',
  'hall_mode',
  'hall_call',
  'hall_changes',
  'startup_painted',
  'form_preview',
  'form_print',
  'form_save',
  'printers',
  'staffing_export_xlsx',
  'report_export',
]

let onHall = false

/**
 * Learns whether this PC works through the hall server: once before the window mounts, and
 * again after the database setting changed.
 */
export async function learnHallMode(): Promise<void> {
  onHall = await invoke<boolean>('hall_mode').then(
    (v) => v === true,
    () => false,
  )
}

/** Whether this PC works through the hall server (as learnt by learnHallMode). */
export function isOnHall(): boolean {
  return onHall
}

/**
 * The count of changes the hall server has pushed: at once without `seen`, else once it grows
 * past `seen` (or after at most 25 seconds).
 */
export function hallChanges(seen: number | null): Promise<number> {
  return invoke<number>('hall_changes', { seen })
}

/** Calls a backend command; a rejection always arrives as a BackendError. */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    if (onHall && !ON_THIS_PC.includes(cmd)) {
      return await invoke<T>('hall_call', { cmd, args: args ?? {} })
    }
    return await invoke<T>(cmd, args)
  } catch (raw) {
    const error = toBackendError(raw)
    if ((SESSION_LOST as readonly string[]).includes(error.code)) sessionLost?.(error)
    throw error
  }
}
