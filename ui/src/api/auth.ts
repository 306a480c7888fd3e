import { call } from './invoke'
import type {
  Account,
  AuthStatus,
  BackupReport,
  DatabaseInfo,
  HallProbe,
  RestoreCheck,
  RetentionReport,
  RetentionStatus,
} from './types'

/** Whether a first administrator is needed, who is logged in and what they may do. */
export function authStatus(): Promise<AuthStatus> {
  return call<AuthStatus>('auth_status')
}

/** Creates the first administrator of an empty database and logs them in. */
export function authSetup(username: string, displayName: string, password: string, code: string): Promise<Account> {
  return call<Account>('auth_setup', { username, displayName, password, code })
}

export function authLogin(username: string, password: string): Promise<Account> {
  return call<Account>('auth_login', { username, password })
}

export function authLogout(): Promise<void> {
  return call<void>('auth_logout')
}

export function changePassword(current: string, password: string): Promise<void> {
  return call<void>('auth_change_password', { current, password })
}

// ---- administration (管理员) ----

export function accountList(): Promise<Account[]> {
  return call<Account[]>('account_list')
}

export interface NewAccount {
  username: string
  displayName: string
  staffNo: string | null
  /** Chinese role names: 窗口人员, 审批人员, 镇领导, 管理员, 县级领导. */
  roles: string[]
  password: string
}

export function accountCreate(account: NewAccount): Promise<Account> {
  return call<Account>('account_create', { ...account })
}

export function accountUnlock(username: string): Promise<void> {
  return call<void>('account_unlock', { username })
}

export function accountSetDisabled(username: string, disabled: boolean): Promise<void> {
  return call<void>('account_set_disabled', { username, disabled })
}

export function accountResetPassword(username: string, password: string): Promise<void> {
  return call<void>('account_reset_password', { username, password })
}

/** Backs the database up where the administrator chooses; null when cancelled. */
export function backupCreate(): Promise<BackupReport | null> {
  return call<BackupReport | null>('backup_create')
}

/** Restores a backup the administrator picks; null when cancelled. Ends the session. */
/** Asks which backup to restore and checks it; the accounts it would change. Null when cancelled. */
export function backupRestoreCheck(): Promise<RestoreCheck | null> {
  return call<RestoreCheck | null>('backup_restore_check')
}

/** Restores the backup the administrator checked and confirmed. */
export function backupRestore(file: string): Promise<BackupReport> {
  return call<BackupReport>('backup_restore', { file })
}

// ---- which database (数据库设置) ----

/** While the database does not open: retry it, or go back to the setting that last opened. */
export function databaseRecover(back: boolean): Promise<DatabaseInfo> {
  return call<DatabaseInfo>('database_recover', { back })
}

/** The database this counter works on, and why it could not be opened if it could not. */
export function databaseInfo(): Promise<DatabaseInfo> {
  return call<DatabaseInfo>('database_info')
}

/** Reaches a hall server without trusting or changing anything: the fingerprint it shows. */
export function databaseTest(url: string): Promise<HallProbe> {
  return call<HallProbe>('database_test', { url })
}

/**
 * Switches to the hall server at `url`, trusting the certificate `fingerprint` the administrator
 * compared, or back to this PC's own file (`null`). Ends the session.
 */
export function databaseUse(url: string | null, fingerprint: string | null = null): Promise<DatabaseInfo> {
  return call<DatabaseInfo>('database_use', { url, fingerprint })
}

/**
 * Tells the backend, once per app start, that the login screen has painted: the start-up
 * measurement (scripts/measure-start.sh) reads the moment from it. A no-op otherwise; a failure
 * is of no concern to the person logging in.
 */
let paintedSent = false
export function reportPainted(): void {
  if (paintedSent) return
  paintedSent = true
  // Two frames: the first is the one being laid out, the second follows its paint.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      call<null>('startup_painted').catch(() => {})
    }),
  )
}

/** The retention period for residents' numbers and what it makes due today. */
export function retentionStatus(): Promise<RetentionStatus> {
  return call<RetentionStatus>('retention_status')
}

/** Sets the period in whole years (the backend checks 1 to 30); null removes it. */
export function retentionSet(years: string | null): Promise<RetentionStatus> {
  return call<RetentionStatus>('retention_set', { years })
}

/** Masks the numbers of requests past the period; a dry run only says what it would change. */
export function retentionRun(dryRun: boolean): Promise<RetentionReport> {
  return call<RetentionReport>('retention_run', { dryRun })
}
