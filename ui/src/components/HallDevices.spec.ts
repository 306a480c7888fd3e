import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend, type Handler } from '../test/backend'
import { showError, showSuccess } from '../api/notify'
import { learnHallMode } from '../api/invoke'
import { setSessionForTests } from '../composables/session'
import type { Account, DeviceKind, DeviceView } from '../api/types'
import HallDevices from './HallDevices.vue'
import AdminView from '../views/AdminView.vue'

const TOKEN = '7f'.repeat(32)
const LABELS: Record<DeviceKind, string> = { kiosk: '取号机', screen: '等候区大屏', pad: '评价器' }

/** A device as device_list answers it. */
function device(id: number, kind: DeviceKind, over: Partial<DeviceView> = {}): DeviceView {
  return {
    id,
    town: '东风镇',
    kind,
    kind_label: LABELS[kind],
    staff_no: kind === 'pad' ? 'DF0013' : null,
    label: `${id} 号${LABELS[kind]}`,
    opened_by: 'guanli',
    opened_at: `2026-11-30 08:${String(id).padStart(2, '0')}:00`,
    closed_at: null,
    page: `/hall/${kind}`,
    ...over,
  }
}

/**
 * A backend that keeps its devices: device_open adds one and answers it with its token (as the
 * core does, once), device_close closes one. `refuse` may throw instead.
 */
function hall(handlers: Record<string, Handler> = {}, refuse: (a: Record<string, unknown>) => void = () => {}) {
  const devices: DeviceView[] = [
    device(2, 'screen'),
    device(1, 'kiosk', { closed_at: '2026-11-29 17:30:00', label: '旧取号机' }),
  ]
  const api = fakeBackend({
    device_list: () => devices.map((d) => ({ ...d })),
    device_open: (a) => {
      refuse(a)
      const kind = a.kind as DeviceKind
      const d = device(devices.length + 1, kind, { label: a.label as string, staff_no: (a.staff as string | null) ?? null })
      devices.unshift(d)
      return { device: d, token: TOKEN, link: `${d.page}#device=${TOKEN}` }
    },
    device_close: (a) => {
      const d = devices.find((x) => x.id === a.id)!
      d.closed_at = '2026-11-30 10:00:00'
      return d
    },
    ...handlers,
  })
  return { api, devices }
}

async function render() {
  const w = mount(HallDevices, { global: { plugins: [ElementPlus, createAppI18n()] }, attachTo: document.body })
  await flushPromises()
  return w
}

/** Element Plus shows (and hides) a form item's error after a short debounce. */
async function settle() {
  await new Promise((resolve) => setTimeout(resolve, 150))
  await flushPromises()
}

function shown(el: Element | null): boolean {
  const overlay = el?.closest<HTMLElement>('.el-overlay')
  return !!el && !!overlay && overlay.style.display !== 'none'
}
const dialog = () => document.querySelector<HTMLElement>('[data-testid="device-dialog"]')
const openedDialog = () => document.querySelector<HTMLElement>('[data-testid="device-opened"]')
const field = (testid: string) => dialog()!.querySelector<HTMLInputElement>(`[data-testid="${testid}"] input, input[data-testid="${testid}"]`)
const linkShown = () => openedDialog()!.querySelector<HTMLInputElement>('input[data-testid="device-link"]')!.value
const itemOf = (testid: string) => field(testid)?.closest('.el-form-item') ?? null
const errorUnder = (testid: string) => itemOf(testid)?.querySelector('.el-form-item__error')?.textContent?.trim() ?? null

async function type(testid: string, text: string) {
  const input = field(testid)!
  input.value = text
  input.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function choose(w: ReturnType<typeof mount>, kind: DeviceKind) {
  const select = w.findAllComponents({ name: 'ElSelect' }).find((s) => s.attributes('data-testid') === 'device-kind-select')!
  select.vm.$emit('update:modelValue', kind)
  await flushPromises()
}

async function openDialog(w: ReturnType<typeof mount>) {
  await w.get('[data-testid="device-new"]').trigger('click')
  await flushPromises()
  expect(shown(dialog())).toBe(true)
}

function confirm() {
  document.querySelector<HTMLElement>('[data-testid="device-confirm"]')!.click()
}

const writeText = vi.fn<(text: string) => Promise<void>>()

enableAutoUnmount(afterEach)
beforeEach(() => {
  vi.mocked(showError).mockClear()
  vi.mocked(showSuccess).mockClear()
  writeText.mockReset()
  writeText.mockResolvedValue(undefined)
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
})
afterEach(async () => {
  document.body.innerHTML = ''
  fakeBackend({ hall_mode: () => false })
  await learnHallMode()
})

describe('HallDevices', () => {
  it('opens a device and shows its whole address on the hall server once, with a copy button', async () => {
    const { api } = hall({
      hall_mode: () => true,
      database_info: () => ({
        kind: 'hall',
        shown: 'https://192.168.1.10:8443',
        source: 'settings',
        can_change: true,
        settings_file: '/home/a/.local/share/cn.bianmin.desktop/settings.json',
        error: null,
        last_working: 'https://192.168.1.10:8443',
        fingerprint: 'SHA256:AB',
      }),
    })
    await learnHallMode()
    const w = await render()
    // The list: number, town, kind, name, clerk (a pad's only), opened when and by whom, state.
    const rows = w.findAll('[data-testid="device-table"] .el-table__body tbody tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.text()).toContain('等候区大屏')
    expect(rows[0]!.text()).toContain('2 号等候区大屏')
    expect(rows[0]!.text()).toContain('2026-11-30 08:02，guanli')
    expect(w.get('[data-testid="device-state-2"]').text()).toBe('使用中')
    expect(w.get('[data-testid="device-state-1"]').text()).toBe('已停用（2026-11-29 17:30）')
    expect(w.get('[data-testid="device-close-1"]').attributes('disabled')).toBeDefined()

    await openDialog(w)
    // The kinds by their Chinese names; no clerk asked for but a pad's.
    const options = [...document.querySelectorAll('.el-select-dropdown__item')].map((o) => o.textContent?.trim())
    expect(options).toEqual(['取号机', '等候区大屏', '评价器'])
    expect(field('device-staff')).toBeNull()
    await choose(w, 'screen')
    expect(field('device-staff')).toBeNull()
    await type('device-label', '等候区东墙大屏')
    confirm()
    await flushPromises()
    // Through the hall server, as the window's call() sends it.
    expect(api.calls('hall_call').filter((c) => c.cmd === 'device_open').map((c) => c.args)).toEqual([
      { town: null, kind: 'screen', staff: null, label: '等候区东墙大屏' },
    ])
    expect(shown(dialog())).toBe(false)

    // The link, once: the server's address followed by it, to copy.
    expect(shown(openedDialog())).toBe(true)
    const address = `https://192.168.1.10:8443/hall/screen#device=${TOKEN}`
    expect(linkShown()).toBe(address)
    expect(openedDialog()!.querySelector('[data-testid="device-where"]')!.textContent).toContain('https://192.168.1.10:8443')
    expect(openedDialog()!.querySelector('[data-testid="device-once"]')!.textContent).toContain('只显示这一次')
    openedDialog()!.querySelector<HTMLElement>('[data-testid="device-copy"]')!.click()
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith(address)
    expect(showSuccess).toHaveBeenCalledWith('已复制设备链接')
    // The list is asked again and shows the new device, without its token.
    expect(api.calls('hall_call').filter((c) => c.cmd === 'device_list')).toHaveLength(2)
    expect(w.findAll('[data-testid="device-table"] .el-table__body tbody tr')[0]!.text()).toContain('等候区东墙大屏')
    expect(w.get('[data-testid="device-table"]').html()).not.toContain(TOKEN)

    // Closed, the link is gone: nothing on the page holds the token any more.
    document.querySelector<HTMLElement>('[data-testid="device-done"]')!.click()
    await flushPromises()
    expect(openedDialog()).toBeNull()
    expect(document.body.innerHTML).not.toContain(TOKEN)
    expect(showError).not.toHaveBeenCalled()
  })

  it('asks a 评价器 for its counter’s clerk, shows the refusal under the field, and on this PC’s file says the pages need bianmin serve', async () => {
    const { api } = hall({}, (a) => {
      if (a.kind === 'pad' && !a.staff) {
        throw { code: 'invalid_input', field: 'staff', message: '评价器属于一个窗口：请填写该窗口工作人员的工号' }
      }
    })
    const w = await render()
    await openDialog(w)
    await choose(w, 'pad')
    // The clerk's field appears for a pad, marked required.
    expect(field('device-staff')).not.toBeNull()
    expect(itemOf('device-staff')!.classList).toContain('is-required')
    await type('device-label', '3 号窗口评价器')
    confirm()
    await flushPromises()
    await settle()
    expect(api.calls('device_open')).toEqual([{ town: null, kind: 'pad', staff: null, label: '3 号窗口评价器' }])
    expect(errorUnder('device-staff')).toBe('评价器属于一个窗口：请填写该窗口工作人员的工号')
    expect(shown(dialog())).toBe(true)
    expect(openedDialog()).toBeNull()

    // Typing the clerk clears the refusal; the pad opens with it.
    await type('device-staff', 'DF0013')
    await settle()
    expect(errorUnder('device-staff')).toBeNull()
    confirm()
    await flushPromises()
    expect(api.calls('device_open')[1]).toEqual({ town: null, kind: 'pad', staff: 'DF0013', label: '3 号窗口评价器' })
    expect(shown(openedDialog())).toBe(true)
    // On this PC's own file there is no server address to put before the link.
    expect(linkShown()).toBe(
      `/hall/pad#device=${TOKEN}`,
    )
    expect(openedDialog()!.querySelector('[data-testid="device-where"]')!.textContent).toContain('bianmin serve')
    document.querySelector<HTMLElement>('[data-testid="device-done"]')!.click()
    await flushPromises()

    // A clerk typed for a pad is not sent once another kind is chosen.
    await openDialog(w)
    await choose(w, 'pad')
    await type('device-staff', 'DF0013')
    await choose(w, 'kiosk')
    expect(field('device-staff')).toBeNull()
    await type('device-label', '大厅东侧取号机')
    confirm()
    await flushPromises()
    expect(api.calls('device_open')[2]).toEqual({ town: null, kind: 'kiosk', staff: null, label: '大厅东侧取号机' })
  })

  it('keeps the dialog open with a refusal naming label under the name field', async () => {
    const { api } = hall({}, (a) => {
      if (a.label === '') throw { code: 'invalid_input', field: 'label', message: '设备名称应为 1 到 40 个字，如“大厅东侧取号机”“3 号窗口评价器”' }
      throw { code: 'forbidden', field: null, message: '无权开通大厅设备' }
    })
    const w = await render()
    await openDialog(w)
    confirm()
    await flushPromises()
    await settle()
    expect(api.calls('device_open')).toEqual([{ town: null, kind: 'kiosk', staff: null, label: '' }])
    expect(errorUnder('device-label')).toBe('设备名称应为 1 到 40 个字，如“大厅东侧取号机”“3 号窗口评价器”')
    expect(dialog()!.querySelector('[data-testid="device-error"]')).toBeNull()
    expect(shown(dialog())).toBe(true)
    expect(showSuccess).not.toHaveBeenCalled()

    // A refusal naming no field of the dialog stands above the buttons instead.
    await type('device-label', '取号机')
    await settle()
    expect(errorUnder('device-label')).toBeNull()
    confirm()
    await flushPromises()
    expect(dialog()!.querySelector('[data-testid="device-error"]')?.textContent).toContain('无权开通大厅设备')
    expect(openedDialog()).toBeNull()
    expect(api.calls('device_list')).toHaveLength(1)
  })

  it('asks before 停用 and closes nothing when the question is cancelled', async () => {
    const { api } = hall()
    const w = await render()
    const question = async () => {
      await w.get('[data-testid="device-close-2"]').trigger('click')
      await flushPromises()
      // The newest box: the one cancelled before may still be fading out.
      const boxes = document.querySelectorAll('.el-message-box')
      const box = boxes[boxes.length - 1]!
      expect(box.textContent).toContain('等候区大屏“2 号等候区大屏”（第 2 号）立即不能再使用')
      return box
    }
    ;(await question()).querySelector<HTMLButtonElement>('.el-message-box__btns button:not(.el-button--primary)')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(api.calls('device_close')).toEqual([])
    expect(w.get('[data-testid="device-state-2"]').text()).toBe('使用中')

    ;(await question()).querySelector<HTMLButtonElement>('.el-message-box__btns .el-button--primary')!.click()
    await flushPromises()
    await new Promise((resolve) => setTimeout(resolve, 50))
    await flushPromises()
    expect(api.calls('device_close')).toEqual([{ id: 2 }])
    expect(showSuccess).toHaveBeenCalledWith('已停用第 2 号设备')
    expect(w.get('[data-testid="device-state-2"]').text()).toBe('已停用（2026-11-30 10:00）')
    expect(w.get('[data-testid="device-close-2"]').attributes('disabled')).toBeDefined()
  })

  it('is a tab of the administrator’s screen, whose list is asked for when it is first opened', async () => {
    setSessionForTests({
      loaded: true,
      account: { username: 'guanli' } as Account,
      permissions: ['read_catalog', 'import', 'manage_accounts', 'backup', 'view_staffing'],
    })
    const { api } = hall({ account_list: () => [], retention_status: () => ({ years: null, summary: '' }) })
    const w = mount(AdminView, { global: { plugins: [ElementPlus, createAppI18n()] }, attachTo: document.body })
    await flushPromises()
    expect(api.calls('device_list')).toEqual([])
    const tab = w.get('#tab-devices')
    expect(tab.text()).toBe('大厅设备')
    await tab.trigger('click')
    await flushPromises()
    expect(api.calls('device_list')).toEqual([{ town: null }])
    expect(w.find('[data-testid="device-table"]').exists()).toBe(true)
    setSessionForTests({ loaded: false, account: null, permissions: [] })
  })
})
