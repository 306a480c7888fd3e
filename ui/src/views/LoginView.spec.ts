import { beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend } from '../test/backend'
import { setSessionForTests, useSession } from '../composables/session'
import type { Account, AuthStatus } from '../api/types'
import LoginView from './LoginView.vue'

enableAutoUnmount(beforeEach)

const account: Account = {
  username: 'lingdao',
  display_name: '王镇长',
  staff_no: 'DF0004',
  staff_name: '王镇长',
  staff_town: '东风镇',
  roles: ['镇领导'],
  failed_count: 0,
  locked_until: null,
  created_at: '2026-11-28 08:00:00',
  disabled: false,
  must_change_password: false,
}

const loggedIn: AuthStatus = {
  needs_setup: false,
  account,
  permissions: ['read_catalog', 'read_requests', 'view_staffing', 'approve', 'print'],
  idle_minutes: 30,
}

async function render() {
  const wrapper = mount(LoginView, { global: { plugins: [ElementPlus, createAppI18n()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

async function type(wrapper: Awaited<ReturnType<typeof render>>, id: string, text: string) {
  await wrapper.get(`#${id}`).setValue(text)
}

beforeEach(() => setSessionForTests({ loaded: true }))

describe('LoginView', () => {
  it("shows the backend's refusal, clears the password and stays logged out", async () => {
    const backend = fakeBackend({
      auth_login: () => {
        throw { code: 'bad_credentials', message: '用户名或密码不正确。' }
      },
    })
    const wrapper = await render()
    await type(wrapper, 'login-username', 'lingdao')
    await type(wrapper, 'login-password', 'wrong-password')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(backend.calls('auth_login')).toEqual([{ username: 'lingdao', password: 'wrong-password' }])
    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('用户名或密码不正确')
    expect((wrapper.get('#login-password').element as HTMLInputElement).value).toBe('')
    expect(useSession().account.value).toBeNull()
  })

  it('logs in and takes who and what from auth_status', async () => {
    fakeBackend({ auth_login: () => account, auth_status: () => loggedIn })
    const wrapper = await render()
    await type(wrapper, 'login-username', 'lingdao')
    await type(wrapper, 'login-password', 'Bianmin@2026')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    const { account: now, can } = useSession()
    expect(now.value?.username).toBe('lingdao')
    expect(can('view_staffing')).toBe(true)
    expect(can('intake')).toBe(false)
  })

  it('on first start asks for the administrator and checks the two passwords agree first', async () => {
    setSessionForTests({ loaded: true, needsSetup: true })
    const backend = fakeBackend({
      auth_setup: () => {
        throw { code: 'invalid_input', message: '密码不能是常见密码（如 123456、password），请换一个。' }
      },
    })
    const wrapper = await render()
    expect(wrapper.text()).toContain('创建管理员账号')
    expect(wrapper.text()).toContain('bianmin init')
    await type(wrapper, 'login-code', '7K2QD-M9XWP')
    await type(wrapper, 'login-username', 'admin')
    await type(wrapper, 'login-display-name', '张管理')
    await type(wrapper, 'login-password', 'Abcdefg1!')
    await type(wrapper, 'login-confirm', 'Abcdefg2!')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('[data-testid="login-error"]').text()).toBe('两次输入的密码不一致')
    expect(backend.calls('auth_setup')).toHaveLength(0)

    await type(wrapper, 'login-password', '12345678')
    await type(wrapper, 'login-confirm', '12345678')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(backend.calls('auth_setup')).toEqual([
      { username: 'admin', displayName: '张管理', password: '12345678', code: '7K2QD-M9XWP' },
    ])
    expect(wrapper.get('[data-testid="login-error"]').text()).toContain('常见密码')
  })

  it('says why the last session ended', async () => {
    setSessionForTests({ loaded: true, notice: '长时间未操作，已自动退出，请重新登录。' })
    const wrapper = await render()
    expect(wrapper.get('[data-testid="login-notice"]').text()).toContain('自动退出')
  })

  it('when no database opens, says why once and offers the database setting instead of the form', async () => {
    const why = '无法连接数据库服务器 postgres://hall:***@10.0.0.9:5432/bianmin：连接超时。请检查地址、网络，以及服务器是否在运行。'
    setSessionForTests({ loaded: true, dbError: why })
    fakeBackend({
      database_info: () => ({
        kind: 'server',
        shown: 'postgres://hall:***@10.0.0.9:5432/bianmin',
        source: 'settings',
        can_change: true,
        settings_file: '/home/a/.local/share/cn.bianmin.desktop/settings.json',
        error: why,
      }),
    })
    const wrapper = await render()
    expect(wrapper.find('#login-username').exists()).toBe(false)
    expect(wrapper.get('[data-testid="login-db-error"]').text()).toContain('连接超时')
    expect(wrapper.find('[data-testid="database-open-error"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="database-current"]').text()).toContain('10.0.0.9')
  })
})
