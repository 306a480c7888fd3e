import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend } from '../test/backend'
import QueueBar from './QueueBar.vue'

enableAutoUnmount(afterEach)

function press(key: string) {
  window.dispatchEvent(new KeyboardEvent('keydown', { key }))
}

describe('QueueBar', () => {
  it('calls with F2, finishes the one served with the requests taken in, recalls with F3 and skips with F4', async () => {
    const queue = ['B003', 'B001', null]
    const api = fakeBackend({
      queue_call: () => {
        const ticket = queue.shift() ?? null
        return { ticket, post: ticket ? '民政窗口' : null, counter: 2, finished: null, waiting: queue.length }
      },
      queue_done: (a) => ({ ticket: 'B003', post: '民政窗口', state: a.what === 'skip' ? 'skipped' : 'finished' }),
    })
    const w = mount(QueueBar, {
      props: { staff: 'DF0014' },
      global: { plugins: [ElementPlus, createAppI18n()] },
      attachTo: document.body,
    })
    press('F2')
    await flushPromises()
    expect(api.calls('queue_call')).toEqual([{ staff: 'DF0014' }])
    expect(w.get('[data-testid="queue-current"]').text()).toContain('正在办理 B003（民政窗口）')
    expect(w.text()).toContain('2 号窗口')
    // A request taken in for this resident is linked when the next is called.
    ;(w.vm as unknown as { noteRequest: (n: string) => void }).noteRequest('DF-20261130-0001')
    press('F3')
    await flushPromises()
    expect(api.calls('queue_done')).toEqual([{ staff: 'DF0014', what: 'recall', request: null }])
    press('F2')
    await flushPromises()
    expect(api.calls('queue_done')[1]).toEqual({ staff: 'DF0014', what: 'finish', request: 'DF-20261130-0001' })
    expect(w.get('[data-testid="queue-current"]').text()).toContain('B001')
    press('F4')
    await flushPromises()
    expect(api.calls('queue_done')[2]).toMatchObject({ what: 'skip' })
    expect(w.get('[data-testid="queue-current"]').text()).toContain('F2')
    // Nobody waiting: the bar says so.
    press('F2')
    await flushPromises()
    expect(w.get('[data-testid="queue-current"]').text()).toContain('没有等候的群众')
    expect(w.get('[data-testid="queue-skip"]').attributes('disabled')).toBeDefined()
  })
})
