import { beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend } from '../test/backend'
import { setSessionForTests, useSession } from '../composables/session'
import type { Account, AuthStatus } from '../api/types'
import PasswordChangeView from './PasswordChangeView.vue'

enableAutoUnmount(beforeEach)

const demo: Account = {
  username: 'chuangkou',
  display_name: '谢喆赟',
  staff_no: 'DF0013',
  staff_name: '谢喆赟',
  staff_town: '东风镇',
  roles: ['窗口人员'],
  failed_count: 0,
  locked_until: null,
  created_at: '2026-11-28 08:00:00',
  disabled: false,
  must_change_password: true,
}

const status = (account: Account): AuthStatus => ({
  needs_setup: false,
  account,
  permissions: ['read_catalog', 'read_requests', 'intake', 'print', 'read_full_id'],
  idle_minutes: 30,
})

async function render() {
  const wrapper = mount(PasswordChangeView, { global: { plugins: [ElementPlus, createAppI18n()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

beforeEach(() => setSessionForTests({ loaded: true, account: demo }))

// Issue 17, point 6: a demo account's first login asks for a password of its own.
describe('PasswordChangeView', () => {
  it('checks the two new passwords agree before asking the backend', async () => {
    const backend = fakeBackend({})
    const wrapper = await render()
    expect(wrapper.text()).toContain('chuangkou')
    await wrapper.get('#change-current').setValue('Bianmin@2026')
    await wrapper.get('#change-password').setValue('Xinmima@2026a')
    await wrapper.get('#change-confirm').setValue('Xinmima@2026b')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="change-error"]').text()).toContain('两次输入的密码不一致')
    expect(backend.calls('auth_change_password')).toEqual([])
  })

  it("shows the backend's refusal and keeps the account on this screen", async () => {
    fakeBackend({
      auth_change_password: () => {
        throw { code: 'invalid_input', field: 'password', message: '新密码不能与当前密码相同。' }
      },
    })
    const wrapper = await render()
    for (const [id, v] of [['change-current', 'Bianmin@2026'], ['change-password', 'Bianmin@2026'], ['change-confirm', 'Bianmin@2026']]) {
      await wrapper.get(`#${id}`).setValue(v)
    }
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="change-error"]').text()).toContain('不能与当前密码相同')
    expect(useSession().account.value?.must_change_password).toBe(true)
  })

  it('changes the password, then takes the account as the backend now has it', async () => {
    const backend = fakeBackend({
      auth_change_password: () => null,
      auth_status: () => status({ ...demo, must_change_password: false }),
    })
    const wrapper = await render()
    await wrapper.get('#change-current').setValue('Bianmin@2026')
    await wrapper.get('#change-password').setValue('Xinmima@2026a')
    await wrapper.get('#change-confirm').setValue('Xinmima@2026a')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(backend.calls('auth_change_password')).toEqual([{ current: 'Bianmin@2026', password: 'Xinmima@2026a' }])
    expect(useSession().account.value?.must_change_password).toBe(false)
  })
})
