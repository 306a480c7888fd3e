import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { fakeBackend } from '../test/backend'
import { call } from '../api/invoke'
import { setSessionForTests, useSession } from './session'
import { home } from '../router'
import type { Account, Permission } from '../api/types'

const account = { username: 'chuangkou', roles: ['窗口人员'] } as Account

function as(permissions: Permission[]) {
  setSessionForTests({ loaded: true, account, permissions })
}

beforeEach(() => setSessionForTests())

describe('session', () => {
  it('is forgotten when a command answers that it expired, keeping the reason', async () => {
    as(['read_catalog', 'intake'])
    fakeBackend({
      catalog_departments: () => {
        throw { code: 'session_expired', message: '长时间未操作，已自动退出，请重新登录。' }
      },
    })
    await expect(call('catalog_departments')).rejects.toMatchObject({ code: 'session_expired' })
    const { session, account: now, can } = useSession()
    expect(now.value).toBeNull()
    expect(can('intake')).toBe(false)
    expect(session.notice).toContain('自动退出')
  })

  it('is kept when a command is refused for another reason', async () => {
    as(['read_catalog'])
    fakeBackend({
      staffing: () => {
        throw { code: 'forbidden', message: '当前账号（角色：窗口人员）无权查看编制与在岗情况。' }
      },
    })
    await expect(call('staffing')).rejects.toMatchObject({ code: 'forbidden' })
    expect(useSession().account.value?.username).toBe('chuangkou')
  })

  it("opens on the screen of the account's work", () => {
    as(['read_catalog', 'read_requests', 'intake', 'print', 'read_full_id'])
    expect(home()).toBe('/intake')
    as(['read_catalog', 'read_requests', 'view_staffing', 'approve', 'print'])
    expect(home()).toBe('/staffing')
    as(['read_catalog', 'import', 'manage_accounts', 'backup', 'view_staffing'])
    expect(home()).toBe('/admin')
    as(['read_catalog', 'read_requests', 'approve', 'print', 'read_full_id'])
    expect(home()).toBe('/requests')
  })
})
