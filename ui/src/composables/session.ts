// Who is logged in at this window and what their roles allow. The backend
// decides both and checks them again on every command; the window uses them
// only to offer the screens that will work.
import { computed, reactive, readonly } from 'vue'
import { authLogin, authLogout, authSetup, authStatus } from '../api/auth'
import { onSessionLost, toBackendError } from '../api/invoke'
import type { Account, AuthStatus, Permission } from '../api/types'

interface SessionState {
  /** The first auth_status has answered. */
  loaded: boolean
  needsSetup: boolean
  account: Account | null
  permissions: Permission[]
  idleMinutes: number
  /** Why the last session ended, shown on the login screen. */
  notice: string | null
  /** Why the database could not be opened: the login screen offers the database setting. */
  dbError: string | null
}

/** The state of a window that has not yet asked the backend. */
function fresh(): SessionState {
  return { loaded: false, needsSetup: false, account: null, permissions: [], idleMinutes: 30, notice: null, dbError: null }
}

const state = reactive<SessionState>(fresh())

function apply(status: AuthStatus): void {
  state.needsSetup = status.needs_setup
  state.account = status.account
  state.permissions = status.permissions
  state.idleMinutes = status.idle_minutes
  state.dbError = null
  state.loaded = true
}

function forget(notice: string | null): void {
  state.account = null
  state.permissions = []
  state.notice = notice
}

onSessionLost((error) => forget(error.message))

/** Codes of auth_status meaning there is no database to log in to. */
const NO_DATABASE = ['unreachable', 'direct_server_retired', 'no_database', 'newer_schema', 'storage', 'invalid_input', 'no_data_dir']

async function refresh(): Promise<void> {
  try {
    apply(await authStatus())
  } catch (err) {
    const e = toBackendError(err)
    if (!NO_DATABASE.includes(e.code)) throw e
    // The login screen shows why and offers the database setting.
    state.account = null
    state.permissions = []
    state.dbError = e.message
    state.loaded = true
  }
}

async function login(username: string, password: string): Promise<void> {
  await authLogin(username, password)
  state.notice = null
  await refresh()
}

async function setup(username: string, displayName: string, password: string, code: string): Promise<void> {
  await authSetup(username, displayName, password, code)
  state.notice = null
  await refresh()
}

/** Ends the session; `notice` says why on the login screen (idle, restore). */
async function logout(notice: string | null = null): Promise<void> {
  try {
    await authLogout()
  } finally {
    forget(notice)
  }
}

function can(p: Permission): boolean {
  return state.permissions.includes(p)
}

export function useSession() {
  return {
    session: readonly(state),
    account: computed(() => state.account),
    can,
    refresh,
    login,
    setup,
    logout,
  }
}

/** For tests: the state as a fresh window has it, or as given. */
export function setSessionForTests(over: Partial<SessionState> = {}): void {
  Object.assign(state, fresh(), over)
}
