import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { createAppI18n } from '../i18n'
import { MENU, router as appRouter, routes } from '../router'
import { fakeBackend, type Handler } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import { setSessionForTests } from '../composables/session'
import { showError, showSuccess } from '../api/notify'
import type { Account, Permission, RatingView } from '../api/types'
import RatingsView from './RatingsView.vue'

const LABELS: Record<number, string> = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' }

/** A rating as rating_list answers it; a grade of 1 or 2 carries an open follow-up. */
function rating(id: number, grade: number, over: Partial<RatingView> = {}): RatingView {
  const bad = grade <= 2
  return {
    id,
    request: `DF-20261130-${String(id).padStart(4, '0')}`,
    ticket_id: null,
    grade,
    grade_label: LABELS[grade]!,
    reasons: [],
    comment: null,
    staff_no: 'DF0013',
    item: 'MZ-001',
    at: `2026-11-30 10:${String(id).padStart(2, '0')}:00`,
    followup_id: bad ? 100 + id : null,
    due: bad ? '2026-12-07' : null,
    closed: false,
    overdue: false,
    result: null,
    ...over,
  }
}

// Seven ratings, newest first: four satisfied (非常满意 ×2, 满意, 基本满意) and three 差评, one of
// them open, one overdue and one closed with what the resident was told.
const RATINGS: RatingView[] = [
  rating(7, 5, { comment: '办得很快' }),
  rating(6, 1, { reasons: ['等候时间长', '态度不好'], comment: '排了一上午', overdue: true, due: '2026-11-20' }),
  rating(5, 2, { reasons: ['材料要求不清楚'], item: 'RS-101', staff_no: 'DF0020' }),
  rating(4, 3),
  rating(3, 1, { closed: true, result: '已电话答复并致歉，高峰时段增开综合窗口' }),
  rating(2, 4),
  rating(1, 5),
]
const BAD = RATINGS.filter((r) => r.grade <= 2)

async function render(permissions: Permission[], handlers: Record<string, Handler> = {}) {
  setSessionForTests({ loaded: true, account: null, permissions })
  const api = fakeBackend({
    list_towns: () => ['东风镇'],
    rating_list: (a) => (a.bad ? BAD : RATINGS),
    followup_period: () => ({ town: '东风镇', days: 5 }),
    ...handlers,
  })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/ratings')
  await router.isReady()
  const w = mount(RatingsView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, api }
}

const bodyRows = (w: ReturnType<typeof mount>) => w.findAll('[data-testid="ratings-table"] .el-table__body tbody tr')
const LEADER: Permission[] = ['read_catalog', 'read_requests', 'view_staffing', 'approve', 'extend', 'print', 'follow_up']
const CLERK: Permission[] = ['read_catalog', 'read_requests', 'intake', 'print', 'read_full_id']
const COUNTY: Permission[] = ['read_catalog', 'read_requests', 'view_staffing', 'print']
const ADMIN: Permission[] = ['read_catalog', 'import', 'manage_accounts', 'backup', 'view_staffing']

/** The dialog, which Element Plus puts under <body>. */
function dialog(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-testid="followup-dialog"]')
}
function dialogShown(): boolean {
  const d = dialog()
  const overlay = d?.closest<HTMLElement>('.el-overlay')
  return !!d && !!overlay && overlay.style.display !== 'none'
}

/** Element Plus shows (and hides) a form item's error after a short debounce. */
async function settleFormErrors() {
  await new Promise((resolve) => setTimeout(resolve, 150))
  await flushPromises()
}

enableAutoUnmount(afterEach)
beforeEach(() => {
  resetTownForTests()
  vi.mocked(showError).mockClear()
  vi.mocked(showSuccess).mockClear()
})
afterEach(() => {
  setSessionForTests({ loaded: false, account: null, permissions: [] })
  document.body.innerHTML = ''
})

describe('RatingsView', () => {
  it('lists the ratings with each 差评’s follow-up and counts the 满意率 over all of them', async () => {
    const { w, api } = await render(LEADER)
    expect(api.calls('rating_list')).toEqual([{ town: '东风镇', bad: false }])
    const rows = bodyRows(w)
    expect(rows).toHaveLength(7)
    // Time, request number, item, clerk, grade, reasons, comment.
    const overdue = rows[1]!
    expect(overdue.text()).toContain('2026-11-30 10:06')
    expect(overdue.get('[data-testid="rating-request"]').text()).toBe('DF-20261130-0006')
    expect(overdue.text()).toContain('MZ-001')
    expect(overdue.text()).toContain('DF0013')
    expect(overdue.get('[data-testid="rating-grade"]').text()).toBe('非常不满意')
    expect(overdue.text()).toContain('等候时间长、态度不好')
    expect(overdue.text()).toContain('排了一上午')
    // The follow-up: due date, overdue as the backend says, closed with what the resident was told.
    expect(overdue.get('[data-testid="rating-due"]').text()).toBe('2026-11-20 前办结')
    expect(overdue.find('[data-testid="rating-overdue"]').text()).toBe('已超期')
    expect(overdue.classes()).toContain('overdue')
    const open = rows[2]!
    expect(open.text()).toContain('RS-101')
    expect(open.text()).toContain('DF0020')
    expect(open.get('[data-testid="rating-due"]').text()).toBe('2026-12-07 前办结')
    expect(open.find('[data-testid="rating-overdue"]').exists()).toBe(false)
    const closed = rows[4]!
    expect(closed.get('[data-testid="rating-closed"]').text()).toBe('已办结')
    expect(closed.get('[data-testid="rating-result"]').text()).toBe('已电话答复并致歉，高峰时段增开综合窗口')
    expect(closed.find('[data-testid="rating-due"]').exists()).toBe(false)
    expect(w.findAll('[data-testid="rating-followup"]')).toHaveLength(3)
    expect(w.findAll('[data-testid="rating-overdue"]')).toHaveLength(1)

    // Counts per grade; 满意率 = (非常满意 + 满意 + 基本满意) / all, both numbers shown.
    const counts = w.findAll('[data-testid="ratings-count"]').map((c) => c.text())
    expect(counts).toEqual(['非常满意 2', '满意 1', '基本满意 1', '不满意 1', '非常不满意 2'])
    expect(w.get('[data-testid="ratings-summary"]').text()).toContain('共 7 条评价')
    expect(w.get('[data-testid="ratings-rate"]').text()).toBe('满意率 57.1%（4/7）')

    // 只看差评 asks the backend for the 差评; the summary still counts every rating.
    await w.get('[data-testid="ratings-only-bad"]').trigger('click')
    await flushPromises()
    expect(api.calls('rating_list')).toContainEqual({ town: '东风镇', bad: true })
    expect(bodyRows(w)).toHaveLength(3)
    expect(bodyRows(w).map((r) => r.get('[data-testid="rating-grade"]').text())).toEqual(['非常不满意', '不满意', '非常不满意'])
    expect(w.get('[data-testid="ratings-rate"]').text()).toBe('满意率 57.1%（4/7）')
    expect(showError).not.toHaveBeenCalled()
  })

  it('offers the follow-up steps of an open 差评 only to an account with the FollowUp permission', async () => {
    let { w } = await render(CLERK)
    expect(bodyRows(w)).toHaveLength(7)
    expect(w.findAll('[data-testid^="rating-step-"]')).toHaveLength(0)
    expect(w.text()).not.toContain('回访办理')
    w.unmount()
    document.body.innerHTML = ''
    resetTownForTests()
    ;({ w } = await render(LEADER))
    // The two open follow-ups, each with its four steps in order; none for the closed one.
    const steps = bodyRows(w).map((r) => r.findAll('[data-testid^="rating-step-"]').map((b) => b.text()))
    expect(steps).toEqual([
      [],
      ['回访联系', '核实', '整改', '办结回复'],
      ['回访联系', '核实', '整改', '办结回复'],
      [],
      [],
      [],
      [],
    ])
  })

  it('keeps a refused close open with the backend’s message under the result, and reloads after a close', async () => {
    let refuse = true
    const { w, api } = await render(LEADER, {
      followup_step: (a) => {
        if (refuse) {
          throw { code: 'invalid_input', field: 'result', message: '办结差评回访需要写明处理结果（答复群众的内容）' }
        }
        return { ...BAD[1]!, closed: true, result: a.result as string }
      },
    })
    const open = bodyRows(w)[2]!
    await open.get('[data-testid="rating-step-closed"]').trigger('click')
    await flushPromises()
    expect(dialogShown()).toBe(true)
    expect(document.querySelector('.el-dialog__title')?.textContent).toBe('办结回复 · 第 105 号差评回访')
    expect(dialog()!.textContent).toContain('办件 DF-20261130-0005，不满意')
    const confirm = () => document.querySelector<HTMLElement>('[data-testid="followup-confirm"]')!.click()

    // The backend refuses a close without the result: the message stands under that field.
    confirm()
    await flushPromises()
    expect(api.calls('followup_step')).toEqual([{ id: 105, staff: null, step: 'closed', result: null }])
    expect(dialogShown()).toBe(true)
    await settleFormErrors()
    const item = dialog()!.querySelector('[data-testid="followup-result"]')!.closest('.el-form-item')!
    expect(item.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('办结差评回访需要写明处理结果（答复群众的内容）')
    expect(dialog()!.querySelector('[data-testid="followup-error"]')).toBeNull()
    expect(showSuccess).not.toHaveBeenCalled()
    expect(api.calls('rating_list')).toHaveLength(1)

    // With the result written the close goes through: the dialog closes and the list reloads.
    refuse = false
    const textarea = dialog()!.querySelector('textarea')!
    textarea.value = '已电话答复：材料清单已在窗口公示'
    textarea.dispatchEvent(new Event('input'))
    await settleFormErrors()
    expect(item.querySelector('.el-form-item__error')).toBeNull()
    confirm()
    await flushPromises()
    expect(api.calls('followup_step')[1]).toEqual({ id: 105, staff: null, step: 'closed', result: '已电话答复：材料清单已在窗口公示' })
    expect(dialogShown()).toBe(false)
    expect(showSuccess).toHaveBeenCalledWith('第 105 号差评回访：已记录办结回复')
    expect(api.calls('rating_list')).toHaveLength(2)
    expect(showError).not.toHaveBeenCalled()
  })

  it('is in the menu of every role that may read requests, and closed to the others', async () => {
    const menuOf = (permissions: Permission[]) => MENU.filter((m) => permissions.includes(m.needs)).map((m) => m.key)
    for (const p of [LEADER, CLERK, COUNTY]) expect(menuOf(p)).toContain('ratings')
    expect(menuOf(ADMIN)).not.toContain('ratings')
    // The leader finds it beside the other leader's screens.
    expect(menuOf(LEADER)).toEqual(['requests', 'catalog', 'staffing', 'report', 'ratings'])
    // Typed in by an administrator, the address leads home instead.
    setSessionForTests({ loaded: true, account: { username: 'guanli' } as Account, permissions: ADMIN })
    await appRouter.push('/ratings')
    expect(appRouter.currentRoute.value.path).toBe('/admin')
    setSessionForTests({ loaded: true, account: { username: 'lingdao' } as Account, permissions: LEADER })
    await appRouter.push('/ratings')
    expect(appRouter.currentRoute.value.path).toBe('/ratings')
  })
  it('shows the leader the hall’s follow-up period and changes it, the refusal under the field', async () => {
    // A clerk is neither shown nor asked for it.
    let { w, api } = await render(CLERK)
    expect(api.calls('followup_period')).toEqual([])
    expect(w.find('[data-testid="ratings-period"]').exists()).toBe(false)
    w.unmount()
    document.body.innerHTML = ''
    resetTownForTests()

    let days = 5
    let refuse = true
    ;({ w, api } = await render(LEADER, {
      followup_period: (a) => {
        if (typeof a.days === 'number') {
          if (refuse) {
            refuse = false
            throw { code: 'invalid_input', field: 'days', message: '差评回访期限 12 个工作日无效：本镇规定为 5 到 10 个工作日' }
          }
          days = a.days
        }
        return { town: '东风镇', days }
      },
    }))
    expect(api.calls('followup_period')).toEqual([{ town: '东风镇', days: null }])
    expect(w.get('[data-testid="ratings-period-text"]').text()).toBe('差评回访期限：5 个工作日')

    await w.get('[data-testid="ratings-period-edit"]').trigger('click')
    await flushPromises()
    const input = w.get<HTMLInputElement>('[data-testid="ratings-period-days"] input')
    expect(input.element.value).toBe('5')
    const setDays = async (n: string) => {
      input.element.value = n
      await input.trigger('input')
      await input.trigger('change')
      await flushPromises()
    }
    // The field takes 1 to 30 working days.
    await setDays('31')
    expect(input.element.value).toBe('30')
    await setDays('12')
    await w.get('[data-testid="ratings-period-save"]').trigger('click')
    await flushPromises()
    await settleFormErrors()
    expect(api.calls('followup_period')[1]).toEqual({ town: '东风镇', days: 12 })
    const item = input.element.closest('.el-form-item')!
    expect(item.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('差评回访期限 12 个工作日无效：本镇规定为 5 到 10 个工作日')
    expect(showSuccess).not.toHaveBeenCalled()

    // Another number clears it; saved, the line says the new period.
    await setDays('10')
    await settleFormErrors()
    expect(item.querySelector('.el-form-item__error')).toBeNull()
    await w.get('[data-testid="ratings-period-save"]').trigger('click')
    await flushPromises()
    expect(api.calls('followup_period')[2]).toEqual({ town: '东风镇', days: 10 })
    expect(w.get('[data-testid="ratings-period-text"]').text()).toBe('差评回访期限：10 个工作日')
    expect(w.find('[data-testid="ratings-period-days"]').exists()).toBe(false)
    expect(showSuccess).toHaveBeenCalledWith('差评回访期限已改为 10 个工作日')
    expect(showError).not.toHaveBeenCalled()
  })
})
