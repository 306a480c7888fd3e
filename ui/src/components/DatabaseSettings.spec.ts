import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend, type Handler } from '../test/backend'
import type { DatabaseInfo } from '../api/types'
import DatabaseSettings from './DatabaseSettings.vue'

const onFile: DatabaseInfo = {
  kind: 'file',
  shown: '/home/clerk/.local/share/cn.bianmin.desktop/bianmin.db',
  source: 'default',
  can_change: true,
  settings_file: '/home/clerk/.local/share/cn.bianmin.desktop/settings.json',
  error: null,
  last_working: '/home/clerk/.local/share/cn.bianmin.desktop/bianmin.db',
}

async function render(handlers: Record<string, Handler>) {
  const api = fakeBackend({ database_info: () => onFile, ...handlers })
  const w = mount(DatabaseSettings, {
    global: { plugins: [ElementPlus, createAppI18n()] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, api }
}

async function type(w: ReturnType<typeof mount>, id: string, value: string) {
  await w.get(`[data-testid="${id}"]`).setValue(value)
}

async function chooseServer() {
  const input = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="database-mode"] input')).find(
    (i) => i.value === 'server',
  )!
  input.click()
  await flushPromises()
}

async function confirmBox() {
  await flushPromises()
  const ok = document.querySelector<HTMLButtonElement>('.el-message-box .el-button--primary')
  expect(ok).not.toBeNull()
  ok!.click()
  await flushPromises()
}

enableAutoUnmount(afterEach)
afterEach(() => {
  document.body.innerHTML = ''
})

describe('DatabaseSettings', () => {
  it('tests and switches to the server the fields describe, with the password encoded', async () => {
    const { w, api } = await render({
      database_test: () => ({ server: 'x', server_version: '17.6', schema_version: 0, supported: true, towns: 0 }),
      database_use: (a) => ({ ...onFile, kind: 'server', shown: String(a.url).replace(/:[^:@/]*@/, ':***@'), source: 'settings' }),
    })
    expect(w.get('[data-testid="database-current"]').text()).toContain('bianmin.db')
    await chooseServer()
    await type(w, 'database-host', '192.168.1.10')
    await type(w, 'database-password', 'p@ss:w/rd')
    await type(w, 'database-ca', '/etc/bianmin/大厅 ca.crt')
    await w.get('[data-testid="database-test"]').trigger('click')
    await flushPromises()
    const url =
      'postgres://bianmin:p%40ss%3Aw%2Frd@192.168.1.10:5432/bianmin?sslmode=verify-full&sslrootcert=%2Fetc%2Fbianmin%2F%E5%A4%A7%E5%8E%85%20ca.crt'
    expect(api.calls('database_test')).toEqual([{ url }])
    expect(w.get('[data-testid="database-probe"]').text()).toContain('空数据库')
    await w.get('[data-testid="database-use"]').trigger('click')
    await confirmBox()
    expect(api.calls('database_use')).toEqual([{ url }])
    expect(w.emitted('switched')).toHaveLength(1)
  })

  it("shows the backend's refusal and stays where it was", async () => {
    const { w, api } = await render({
      database_use: () => {
        throw { code: 'unreachable', message: '无法连接数据库服务器 postgres://bianmin@10.0.0.9:5432/bianmin：连接超时。' }
      },
    })
    await chooseServer()
    await type(w, 'database-host', '10.0.0.9')
    await w.get('[data-testid="database-use"]').trigger('click')
    await confirmBox()
    expect(api.calls('database_use')).toHaveLength(1)
    expect(w.get('[data-testid="database-error"]').text()).toContain('连接超时')
    expect(w.emitted('switched')).toBeUndefined()
    expect(w.get('[data-testid="database-current"]').text()).toContain('bianmin.db')
  })

  it('cannot be changed when BIANMIN_DB decides', async () => {
    const { w } = await render({ database_info: () => ({ ...onFile, source: 'env', can_change: false }) })
    expect(w.get('[data-testid="database-current"]').text()).toContain('BIANMIN_DB')
    expect(w.get('[data-testid="database-use"]').attributes('disabled')).toBeDefined()
  })

  // Issue 17, point 10: while the database does not open, only a retry and the way back.
  it('offers only a retry and the way back to the setting that last opened while none opens', async () => {
    const down: DatabaseInfo = {
      ...onFile,
      kind: 'server',
      shown: 'postgres://hall:***@10.0.0.5:5432/bianmin',
      source: 'settings',
      error: '无法连接数据库服务器',
      last_working: 'postgres://hall:***@10.0.0.4:5432/bianmin',
    }
    const { w, api } = await render({
      database_info: () => down,
      database_recover: (a) => ({ ...down, error: null, shown: a.back ? down.last_working! : down.shown }),
    })
    expect(w.find('[data-testid="database-mode"]').exists()).toBe(false)
    expect(w.find('[data-testid="database-use"]').exists()).toBe(false)
    expect(w.get('[data-testid="database-back-to"]').text()).toContain('10.0.0.4')
    await w.get('[data-testid="database-retry"]').trigger('click')
    await flushPromises()
    expect(api.calls('database_recover')).toEqual([{ back: false }])
    expect(w.emitted('switched')).toHaveLength(1)
  })
})
