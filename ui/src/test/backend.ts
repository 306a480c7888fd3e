// A stand-in for the Rust side in view tests: each spec declares how the
// commands it expects answer, and any other command fails the test loudly.
import { vi } from 'vitest'
import { invoke } from '@tauri-apps/api/core'

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
