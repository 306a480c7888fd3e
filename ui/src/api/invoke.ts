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

/** Calls a backend command; a rejection always arrives as a BackendError. */
export async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (raw) {
    const error = toBackendError(raw)
    if ((SESSION_LOST as readonly string[]).includes(error.code)) sessionLost?.(error)
    throw error
  }
}
