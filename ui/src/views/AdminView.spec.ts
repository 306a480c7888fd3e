import { beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend } from '../test/backend'
import { setSessionForTests } from '../composables/session'
import { showSuccess } from '../api/notify'
import type { Account } from '../api/types'
import { learnHallMode } from '../api/invoke'
import AdminView from './AdminView.vue'

enableAutoUnmount(beforeEach)

function account(over: Partial<Account>): Account {
  return {
    username: 'guanli',
    display_name: '管理员甲',
    staff_no: 'DF0005',
    staff_name: '李四',
    staff_town: '东风镇',
    roles: ['管理员'],
    failed_count: 0,
    locked_until: null,
    created_at: '2026-11-28 08:00:00',
    disabled: false,
    must_change_password: false,
    ...over,
  }
}

const list = [
  account({}),
  account({ username: 'lingdao', roles: ['镇领导'], failed_count: 5, locked_until: '2026-11-28 10:15:00' }),
]

async function render() {
  const wrapper = mount(AdminView, { global: { plugins: [ElementPlus, createAppI18n()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  vi.mocked(showSuccess).mockReset()
  setSessionForTests({
    loaded: true,
    account: list[0]!,
    permissions: ['read_catalog', 'import', 'manage_accounts', 'backup', 'view_staffing'],
  })
})

describe('AdminView', () => {
  it('lists accounts with their state and unlocks a locked one', async () => {
    const backend = fakeBackend({ account_list: () => list, account_unlock: () => null })
    const wrapper = await render()
    expect(wrapper.get('[data-testid="account-state-lingdao"]').text()).toBe('锁定至 2026-11-28 10:15')
    expect(wrapper.get('[data-testid="account-state-guanli"]').text()).toBe('正常')
    // Every row has 解锁 in the same place; only the locked account's can be pressed.
    expect(wrapper.get('[data-testid="account-unlock-guanli"]').attributes('disabled')).toBeDefined()
    const unlock = wrapper.get('[data-testid="account-unlock-lingdao"]')
    expect(unlock.attributes('disabled')).toBeUndefined()
    await unlock.trigger('click')
    await flushPromises()
    expect(backend.calls('account_unlock')).toEqual([{ username: 'lingdao' }])
    expect(backend.calls('account_list')).toHaveLength(2)
  })

  it('asks before disabling an account, and nothing is disabled when the question is cancelled', async () => {
    const backend = fakeBackend({ account_list: () => list, account_set_disabled: () => null })
    const wrapper = await render()
    // One's own account cannot be disabled: its button is there, greyed out, in the same place.
    expect(wrapper.get('[data-testid="account-toggle-guanli"]').attributes('disabled')).toBeDefined()
    const rowButtons = (user: string) =>
      wrapper.get(`[data-testid="account-toggle-${user}"]`).element.parentElement!.querySelectorAll('button').length
    expect(rowButtons('guanli')).toBe(3)
    expect(rowButtons('lingdao')).toBe(3)

    const question = async () => {
      await wrapper.get('[data-testid="account-toggle-lingdao"]').trigger('click')
      await flushPromises()
      // The newest box: the one cancelled before may still be fading out.
      const boxes = document.querySelectorAll('.el-message-box')
      const box = boxes[boxes.length - 1]!
      expect(box.textContent).toContain('lingdao')
      expect(box.textContent).toContain('将不能再登录')
      return box
    }
    const cancel = (await question()).querySelector<HTMLButtonElement>('.el-message-box__btns button:not(.el-button--primary)')!
    cancel.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(backend.calls('account_set_disabled')).toEqual([])

    const ok = (await question()).querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')!
    ok.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await flushPromises()
    expect(backend.calls('account_set_disabled')).toEqual([{ username: 'lingdao', disabled: true }])
  })

  it("keeps the new-account dialog open with the backend's refusal", async () => {
    const backend = fakeBackend({
      account_list: () => list,
      account_create: () => {
        throw { code: 'invalid_input', message: '工号“DF9999”不存在。' }
      },
    })
    const wrapper = await render()
    await wrapper.get('[data-testid="account-new"]').trigger('click')
    await flushPromises()
    const dialog = document.querySelector('[data-testid="account-dialog"]')!
    const input = (id: string) => dialog.querySelector<HTMLInputElement>(`[data-testid="${id}"] input, input[data-testid="${id}"]`)!
    for (const [id, value] of [['draft-username', 'df9999'], ['draft-name', '新人'], ['draft-staff', 'DF9999'], ['draft-password', 'Xiangzhen#Hall9']]) {
      const el = input(id!)
      el.value = value!
      el.dispatchEvent(new Event('input'))
    }
    await flushPromises()
    dialog.querySelector<HTMLButtonElement>('[data-testid="draft-save"]')!.click()
    await flushPromises()
    expect(backend.calls('account_create')).toEqual([
      { username: 'df9999', displayName: '新人', staffNo: 'DF9999', roles: ['窗口人员'], password: 'Xiangzhen#Hall9' },
    ])
    expect(dialog.querySelector('[data-testid="draft-error"]')?.textContent).toContain('DF9999')
    expect(showSuccess).not.toHaveBeenCalled()
  })

  // Issue 17, point 5: the accounts a backup would change are shown before anything applies.
  it('shows the accounts a backup would change before restoring it, and restores nothing when cancelled', async () => {
    const backend = fakeBackend({
      account_list: () => list,
      backup_restore_check: () => ({
        file: '/media/u盘/便民备份.db',
        accounts: [{ username: 'houmen', change: '将恢复（仅备份中有）' }],
      }),
      backup_restore: () => ({
        file: '/media/u盘/便民备份.db',
        pages: 10,
        bytes: 40960,
        schema_version: 27,
        previous: '/data/bianmin.db.before-restore-20261128-100000',
        sha256: 'ab'.repeat(32),
        accounts: [],
      }),
      auth_logout: () => null,
    })
    const wrapper = await render()
    const question = async () => {
      await wrapper.get('[data-testid="backup-restore"]').trigger('click')
      await flushPromises()
      const boxes = document.querySelectorAll('.el-message-box')
      const box = boxes[boxes.length - 1]!
      expect(box.textContent).toContain('houmen：将恢复（仅备份中有）')
      expect(box.textContent).toContain('便民备份.db')
      return box
    }
    ;(await question()).querySelector<HTMLButtonElement>('.el-message-box__btns button:not(.el-button--primary)')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(backend.calls('backup_restore')).toEqual([])

    ;(await question()).querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await flushPromises()
    expect(backend.calls('backup_restore')).toEqual([{ file: '/media/u盘/便民备份.db' }])
  })

  it('on the hall server, points to the server for backups and offers no file backup', async () => {
    const api = fakeBackend({
      hall_mode: () => true,
      account_list: () => list,
      database_info: () => ({
        kind: 'hall',
        shown: 'https://192.168.1.10:8443',
        source: 'settings',
        can_change: true,
        settings_file: '/home/a/.local/share/cn.bianmin.desktop/settings.json',
        error: null,
        last_working: 'https://192.168.1.10:8443',
        fingerprint: null,
      }),
    })
    await learnHallMode()
    const wrapper = await render()
    // The accounts are the server's: asked through it.
    expect(api.calls('hall_call').map((a) => a.cmd)).toContain('account_list')
    expect(wrapper.get('[data-testid="backup-hint"]').text()).toContain('bianmin backup')
    expect(wrapper.get('[data-testid="backup-create"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="backup-restore"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="database-current"]').text()).toContain('大厅服务器')
    fakeBackend({ hall_mode: () => false })
    await learnHallMode()
  })
})
