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
  fingerprint: null,
}

const FP = 'SHA256:' + Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':')

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

async function chooseHall() {
  const input = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="database-mode"] input')).find(
    (i) => i.value === 'hall',
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
  it('shows the fingerprint an https server shows and switches only once it was compared', async () => {
    const { w, api } = await render({
      database_test: (a) => ({ shown: String(a.url), fingerprint: FP, pinned: null }),
      database_use: (a) => ({ ...onFile, kind: 'hall', shown: String(a.url), source: 'settings', fingerprint: FP }),
    })
    expect(w.get('[data-testid="database-current"]').text()).toContain('bianmin.db')
    await chooseHall()
    // No database fields: an address, never a password.
    expect(w.find('[data-testid="database-password"]').exists()).toBe(false)
    await type(w, 'database-address', 'https://192.168.1.10:8443')
    // Switching before a test is refused here, before anything is sent.
    await w.get('[data-testid="database-use"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="database-error"]').text()).toContain('请先测试连接')
    await w.get('[data-testid="database-test"]').trigger('click')
    await flushPromises()
    expect(api.calls('database_test')).toEqual([{ url: 'https://192.168.1.10:8443' }])
    // The fingerprint in four lines of eight groups, to read aloud and compare.
    const shown = w.get('[data-testid="database-fingerprint"]').text().split('\n')
    expect(shown).toHaveLength(4)
    expect(shown.join(':')).toBe(FP.replace('SHA256:', ''))
    await w.get('[data-testid="database-use"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="database-error"]').text()).toContain('逐段核对')
    expect(api.calls('database_use')).toHaveLength(0)
    await w.get('[data-testid="database-compared"] input').setValue(true)
    await w.get('[data-testid="database-use"]').trigger('click')
    await confirmBox()
    expect(api.calls('database_use')).toEqual([{ url: 'https://192.168.1.10:8443', fingerprint: FP }])
    expect(w.emitted('switched')).toHaveLength(1)
    // Editing the address asks for a new test.
    await type(w, 'database-address', 'https://192.168.1.11:8443')
    expect(w.find('[data-testid="database-probe"]').exists()).toBe(false)
  })

  it('warns when a server shows another certificate than the one pinned', async () => {
    const { w } = await render({
      database_test: (a) => ({ shown: String(a.url), fingerprint: FP, pinned: FP.replace('00', 'FF') }),
    })
    await chooseHall()
    await type(w, 'database-address', 'https://192.168.1.10:8443')
    await w.get('[data-testid="database-test"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="database-changed"]').text()).toContain('冒充')
  })

  it("shows the backend's refusal and stays where it was", async () => {
    const { w, api } = await render({
      database_test: (a) => ({ shown: String(a.url), fingerprint: null, pinned: null }),
      database_use: () => {
        throw { code: 'unreachable', message: '无法连接大厅服务器 http://127.0.0.1:8443：连接被拒绝。' }
      },
    })
    await chooseHall()
    await type(w, 'database-address', 'http://127.0.0.1:8443')
    await w.get('[data-testid="database-test"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="database-probe"]').text()).toContain('不需要核对')
    await w.get('[data-testid="database-use"]').trigger('click')
    await confirmBox()
    expect(api.calls('database_use')).toEqual([{ url: 'http://127.0.0.1:8443', fingerprint: null }])
    expect(w.get('[data-testid="database-error"]').text()).toContain('连接被拒绝')
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
      kind: 'hall',
      shown: 'https://10.0.0.5:8443',
      source: 'settings',
      error: '无法连接大厅服务器',
      last_working: 'https://10.0.0.4:8443',
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
