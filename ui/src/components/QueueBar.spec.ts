import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend } from '../test/backend'
import { showError, showSuccess } from '../api/notify'
import QueueBar from './QueueBar.vue'

enableAutoUnmount(afterEach)

function press(key: string) {
  window.dispatchEvent(new KeyboardEvent('keydown', { key }))
}

const figures = { tickets: 0, served: 0, skipped: 0, waiting: 0, wait_p50_s: null, wait_p90_s: null, service_p50_s: null }

/** The 取号 dialog, which Element Plus puts under <body>. */
function takeDialog(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="queue-take-dialog"]')
}
function takeShown(): boolean {
  const overlay = takeDialog()?.closest<HTMLElement>('.el-overlay')
  return !!overlay && overlay.style.display !== 'none'
}
/** A key pressed in the dialog's post field, where the cursor is when it opens. */
function keyInTake(key: string) {
  const input = takeDialog()!.querySelector<HTMLInputElement>('[data-testid="queue-take-post"] input')!
  input.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
}
/** Element Plus shows a form item's error after a short debounce. */
async function settleFormErrors() {
  await new Promise((resolve) => setTimeout(resolve, 150))
  await flushPromises()
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

  it('takes a ticket at the desk for the post and 绿色通道 chosen, with Enter, and closes with Esc', async () => {
    vi.mocked(showSuccess).mockClear()
    vi.mocked(showError).mockClear()
    const taken = [
      { ticket: 'B004', post: '民政窗口', priority: '老年人', waiting: 3 },
      { ticket: 'A002', post: '综合窗口', priority: null, waiting: 0 },
    ]
    let refuse = true
    const api = fakeBackend({
      queue_stats: () => ({
        town: '东风镇',
        on: '2026-11-30',
        // The figures are flattened into the day, each post and each hour (front::QueueStats).
        ...figures,
        posts: [
          { post: '综合窗口', letter: 'A', ...figures },
          { post: '民政窗口', letter: 'B', ...figures },
          { post: '社保窗口', letter: 'C', ...figures },
        ],
        hours: [],
      }),
      queue_take: (a) => {
        if (a.post === '社保窗口' && refuse) {
          refuse = false
          throw { code: 'invalid_input', field: 'post', message: '社保窗口今天没有安排人员，请到综合窗口或咨询台办理。' }
        }
        const t = taken.shift()!
        return {
          ...t,
          state: 'waiting',
          state_label: '等候中',
          taken_at: '2026-11-30 09:41:00',
          called_at: null,
          counter: null,
          staff_no: null,
          requests: [],
          town: '东风镇',
        }
      },
    })
    const w = mount(QueueBar, {
      props: { staff: 'DF0014', town: '东风镇' },
      global: { plugins: [ElementPlus, createAppI18n()] },
      attachTo: document.body,
    })
    const choose = async (testid: string, value: string | null) => {
      const select = w.findAllComponents({ name: 'ElSelect' }).find((s) => s.attributes('data-testid') === testid)!
      select.vm.$emit('update:modelValue', value)
      await flushPromises()
    }

    // The posts are the hall's, as the day's queue figures list them; no 绿色通道 is chosen.
    await w.get('[data-testid="queue-take"]').trigger('click')
    await flushPromises()
    expect(takeShown()).toBe(true)
    expect(api.calls('queue_stats')).toEqual([{ town: '东风镇', on: null }])
    const options = [...document.querySelectorAll('.el-select-dropdown__item')].map((o) => o.textContent?.trim())
    expect(options).toEqual(['综合窗口', '民政窗口', '社保窗口', '老年人', '残疾人', '孕妇', '军人', '绿色通道'])
    expect(takeDialog()!.querySelector('[data-testid="queue-take-priority"] .el-select__placeholder')?.textContent).toContain(
      '不走绿色通道',
    )

    // A refusal naming the post stands under the post, and the dialog stays open.
    await choose('queue-take-post', '社保窗口')
    keyInTake('Enter')
    await flushPromises()
    expect(api.calls('queue_take')).toEqual([{ town: '东风镇', post: '社保窗口', priority: null }])
    expect(takeShown()).toBe(true)
    await settleFormErrors()
    const postItem = takeDialog()!.querySelector('[data-testid="queue-take-post"]')!.closest('.el-form-item')!
    expect(postItem.querySelector('.el-form-item__error')?.textContent).toContain('社保窗口今天没有安排人员')

    // Enter takes the ticket for exactly the post and the 绿色通道 chosen.
    await choose('queue-take-post', '民政窗口')
    await choose('queue-take-priority', '老年人')
    keyInTake('Enter')
    await flushPromises()
    expect(api.calls('queue_take')[1]).toEqual({ town: '东风镇', post: '民政窗口', priority: '老年人' })
    expect(showSuccess).toHaveBeenCalledWith('已取号 B004（民政窗口，绿色通道：老年人），前面还有 3 人')
    expect(takeShown()).toBe(false)
    expect(w.get('[data-testid="queue-last-taken"]').text()).toBe('刚取号 B004')

    // The next opens afresh: no post and no 绿色通道 carried over.
    await w.get('[data-testid="queue-take"]').trigger('click')
    await flushPromises()
    await choose('queue-take-post', '综合窗口')
    keyInTake('Enter')
    await flushPromises()
    expect(api.calls('queue_take')[2]).toEqual({ town: '东风镇', post: '综合窗口', priority: null })
    expect(showSuccess).toHaveBeenLastCalledWith('已取号 A002（综合窗口），前面还有 0 人')

    // Esc closes it, taking nothing.
    await w.get('[data-testid="queue-take"]').trigger('click')
    await flushPromises()
    expect(takeShown()).toBe(true)
    keyInTake('Escape')
    await flushPromises()
    expect(takeShown()).toBe(false)
    expect(api.calls('queue_take')).toHaveLength(3)
    expect(showError).not.toHaveBeenCalled()
  })
})
