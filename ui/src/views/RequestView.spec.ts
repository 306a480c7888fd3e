import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessageBox } from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { fakeBackend, requestDetail, type Handler } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import { STAFF_STORAGE_KEY } from '../composables/counterStaff'
import { showError } from '../api/notify'
import type { RequestDetail, StaffProfile } from '../api/types'
import RequestView from './RequestView.vue'

const staff: StaffProfile[] = [
  { no: 'DF0013', name: '谢喆赟', unit: '社会治理服务中心', town: '东风镇', roles: ['窗口人员'], credentials: [] },
]

const incomplete: RequestDetail = requestDetail({
  state: 'incomplete',
  state_label: '待补正',
  accepted_on: null,
  due: null,
  days_left: null,
  missing: ['居民身份证'],
  next_steps: ['accept', 'refuse', 'withdraw'],
  forms: ['notice'],
  materials: [
    { seq: 1, name: '临时救助申请书', form: '原件', copies: 1, mandatory: true, received: true },
    { seq: 2, name: '居民身份证', form: '原件和复印件', copies: 1, mandatory: true, received: false },
  ],
  timeline: [
    {
      at: '2026-11-28 09:12:05',
      step: '一次性告知',
      staff_no: 'DF0013',
      staff_name: '谢喆赟',
      allowed: true,
      basis: '下放事项，本镇可受理',
      note: '尚缺：居民身份证',
    },
    {
      at: '2026-11-28 09:30:41',
      step: '审批',
      staff_no: 'DF0013',
      staff_name: '谢喆赟',
      allowed: false,
      basis: '谢喆赟没有审批人员或镇领导的角色',
      note: null,
    },
  ],
})

async function render(handlers: Record<string, Handler>) {
  const api = fakeBackend({ list_towns: () => ['东风镇'], list_staff: () => staff, ...handlers })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/requests/DF-20261128-0001')
  await router.isReady()
  const w = mount(RequestView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, api }
}

enableAutoUnmount(afterEach)
beforeEach(() => {
  resetTownForTests()
  vi.mocked(showError).mockClear()
  window.localStorage.clear()
  window.localStorage.setItem(STAFF_STORAGE_KEY, 'DF0013')
})
afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('RequestView', () => {
  it('shows the request, its materials and its timeline in order', async () => {
    const { w, api } = await render({ request_show: () => incomplete })
    expect(api.calls('request_show')).toEqual([{ number: 'DF-20261128-0001' }])
    expect(w.get('[data-testid="request-title"]').text()).toBe('DF-20261128-0001')
    expect(w.get('[data-testid="request-state"]').text()).toBe('待补正')
    expect(w.text()).toContain('5202**********1233')
    expect(w.get('[data-testid="received-1"]').text()).toBe('✓')
    expect(w.get('[data-testid="received-2"]').text()).toBe('✗')

    const entries = w.findAll('[data-testid="request-timeline"] [data-testid="timeline-entry"]')
    expect(entries).toHaveLength(2)
    expect(entries[0]!.text()).toContain('2026-11-28 09:12:05')
    expect(entries[0]!.text()).toContain('一次性告知')
    expect(entries[0]!.text()).toContain('谢喆赟')
    expect(entries[0]!.text()).toContain('下放事项，本镇可受理')
    expect(entries[0]!.text()).toContain('尚缺：居民身份证')
    // A step the authority check refused is in the record, marked as such.
    expect(entries[1]!.attributes('data-allowed')).toBe('false')
    expect(entries[1]!.text()).toContain('未获准')

    const buttons = w.findAll('[data-testid="request-actions"] button').map((b) => b.attributes('data-testid'))
    expect(buttons).toEqual(['step-accept', 'step-refuse', 'step-withdraw', 'request-print'])
    // An incomplete request prints its 一次性告知书.
    expect(w.get('[data-testid="request-print"]').attributes('data-kind')).toBe('notice')
    expect(w.get('[data-testid="request-print"]').text()).toBe('打印一次性告知书')
  })

  it('opens the print preview of the form that fits the state, and none for a withdrawn request', async () => {
    const { w, api } = await render({
      request_show: () => incomplete,
      printers: () => ({ printers: [], default: null }),
      form_preview: () => ({
        form: {
          kind: 'notice',
          kind_label: '一次性告知书',
          form_no: 'GZ-DF-20261128-0001',
          town_id: 2,
          request_number: 'DF-20261128-0001',
          department: null,
          copy: 1,
          pages: 1,
        },
        pages: ['data:image/png;base64,AAAA'],
      }),
      form_issues: () => [],
    })
    await w.get('[data-testid="request-print"]').trigger('click')
    await flushPromises()
    expect(api.calls('form_preview')).toEqual([
      { kind: 'notice', number: 'DF-20261128-0001', department: null, town: '东风镇', on: null, paper: 'a4' },
    ])
    expect(document.querySelectorAll('[data-testid="preview-page"]')).toHaveLength(1)

    const { w: w2 } = await render({
      request_show: () => requestDetail({ state: 'withdrawn', state_label: '已撤回', next_steps: [], forms: [] }),
    })
    expect(w2.find('[data-testid="request-print"]').exists()).toBe(false)
  })

  it('offers a step only when next_steps lists it, and a form only when forms does', async () => {
    const buttons = async (over: Partial<RequestDetail>) => {
      const { w } = await render({ request_show: () => requestDetail(over) })
      return w.findAll('[data-testid="request-actions"] button').map((b) => b.attributes('data-testid'))
    }
    // The same accepted request, as the backend narrows it to each account's roles.
    expect(await buttons({})).toEqual(['step-decide', 'step-forward', 'step-refuse', 'step-withdraw', 'request-print'])
    expect(await buttons({ next_steps: ['decide'] })).toEqual(['step-decide', 'request-print'])
    expect(await buttons({ next_steps: ['forward', 'refuse', 'withdraw'] })).toEqual([
      'step-forward',
      'step-refuse',
      'step-withdraw',
      'request-print',
    ])
    expect(await buttons({ next_steps: [], forms: [] })).toEqual([])
    // The page holds no table of its own: it shows what it is sent, whatever the state.
    expect(await buttons({ state: 'completed', state_label: '已办结', next_steps: ['pickup'] })).toEqual([
      'step-pickup',
      'request-print',
    ])
    expect(await buttons({ state: 'completed', state_label: '已办结', next_steps: [] })).toEqual(['request-print'])
    // Decided here: the receipt and the 决定书, one button each.
    expect(
      await buttons({ state: 'decided', state_label: '已决定', next_steps: [], forms: ['receipt', 'decision'] }),
    ).toEqual(['request-print', 'request-print-decision'])
  })

  it('prints the 决定书 from its own button', async () => {
    const { w, api } = await render({
      request_show: () =>
        requestDetail({ state: 'decided', state_label: '已决定', next_steps: [], forms: ['receipt', 'decision'] }),
      printers: () => ({ printers: [], default: null }),
      form_preview: () => ({
        form: {
          kind: 'decision',
          kind_label: '决定书',
          form_no: 'JD-DF-20261128-0001',
          town_id: 2,
          request_number: 'DF-20261128-0001',
          department: null,
          copy: 1,
          pages: 1,
        },
        pages: ['data:image/png;base64,AAAA'],
      }),
      form_issues: () => [],
    })
    expect(w.get('[data-testid="request-print-decision"]').text()).toBe('打印决定书')
    await w.get('[data-testid="request-print-decision"]').trigger('click')
    await flushPromises()
    expect(api.calls('form_preview')).toEqual([
      { kind: 'decision', number: 'DF-20261128-0001', department: null, town: '东风镇', on: null, paper: 'a4' },
    ])
  })

  it('takes the supplemented materials in and shows the new state', async () => {
    const { w, api } = await render({
      request_show: () => incomplete,
      request_step: () => requestDetail({ state: 'accepted', state_label: '已受理' }),
    })
    await w.get('[data-testid="step-accept"]').trigger('click')
    await flushPromises()
    const confirm = document.querySelector<HTMLButtonElement>('[data-testid="step-confirm"]')!
    confirm.click()
    await flushPromises()
    expect(api.calls('request_step')).toEqual([
      {
        number: 'DF-20261128-0001',
        staff: 'DF0013',
        step: 'accept',
        materials: ['2'],
        reason: null,
        department: null,
        due: null,
        result: null,
        opinion: null,
        amount: null,
        days: null,
        on: null,
      },
    ])
    expect(w.get('[data-testid="request-state"]').text()).toBe('已受理')
  })

  it('decides with an opinion, and asks the amount only when an item that pays out is granted', async () => {
    const decided = requestDetail({
      state: 'decided',
      state_label: '已决定',
      result: 'approved',
      opinion: '年满八十周岁，符合条件。',
      amount: '1,200.00 元',
      next_steps: [],
    })
    const { w, api } = await render({ request_show: () => requestDetail(), request_step: () => decided })
    await w.get('[data-testid="step-decide"]').trigger('click')
    await flushPromises()
    const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
    // Element Plus puts the test id on the input itself or on its wrapper, by version.
    const field = <T extends HTMLElement>(id: string, tag: string): T =>
      (q(id)!.matches(tag) ? q(id) : q(id)!.querySelector(tag)) as T
    // 临时救助 pays out: granting asks the amount; refusing does not.
    expect(q('decide-amount')).not.toBeNull()
    const refuse = document.querySelector<HTMLInputElement>('[data-testid="step-result"] input[value="refused"]')!
    refuse.click()
    await flushPromises()
    expect(q('decide-amount')).toBeNull()
    expect(field<HTMLTextAreaElement>('decide-opinion', 'textarea').placeholder).toContain('须写明理由')
    const grant = document.querySelector<HTMLInputElement>('[data-testid="step-result"] input[value="approved"]')!
    grant.click()
    await flushPromises()
    const opinion = field<HTMLTextAreaElement>('decide-opinion', 'textarea')
    opinion.value = '  年满八十周岁，符合条件。 '
    opinion.dispatchEvent(new Event('input'))
    const amount = field<HTMLInputElement>('decide-amount', 'input')
    amount.value = '1200'
    amount.dispatchEvent(new Event('input'))
    await flushPromises()
    q('step-confirm')!.click()
    await flushPromises()
    expect(api.calls('request_step')).toEqual([
      {
        number: 'DF-20261128-0001',
        staff: 'DF0013',
        step: 'decide',
        materials: null,
        reason: null,
        department: null,
        due: null,
        result: 'approved',
        opinion: '年满八十周岁，符合条件。',
        amount: '1200',
        days: null,
        on: null,
      },
    ])
    // The page shows what the backend kept.
    expect(w.get('[data-testid="request-opinion"]').text()).toBe('年满八十周岁，符合条件。')
    expect(w.get('[data-testid="request-amount"]').text()).toBe('1,200.00 元')
  })

  it('extends with the days and reason typed, and shows the extension, the stopped clock and a late reason', async () => {
    const extended = requestDetail({
      due: '2026-12-18',
      extended_days: 10,
      extension_reason: '需入户核实',
      suspended_on: '2026-12-07',
      suspension_reason: '需专家评审',
      state: 'suspended',
      state_label: '暂停计时',
      next_steps: ['resume'],
      forms: ['receipt', 'suspension', 'extension'],
    })
    const { w, api } = await render({
      request_show: () => requestDetail({ next_steps: ['decide', 'extend', 'suspend'] }),
      request_step: () => extended,
    })
    await w.get('[data-testid="step-extend"]').trigger('click')
    await flushPromises()
    const reason = document.querySelector<HTMLTextAreaElement>('[data-testid="step-dialog"] textarea')!
    reason.value = ' 需入户核实 '
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid="step-confirm"]')!.click()
    await flushPromises()
    // Ten working days unless changed; the backend checks both.
    expect(api.calls('request_step')[0]).toMatchObject({ step: 'extend', days: '10', reason: '需入户核实' })
    expect(w.get('[data-testid="request-extended"]').text()).toBe('10 个工作日：需入户核实')
    expect(w.get('[data-testid="request-suspended"]').text()).toBe('自 2026-12-07 起：需专家评审')
    expect(w.get('[data-testid="request-state"]').text()).toBe('暂停计时')
    const kinds = w.findAll('[data-testid^="request-print"]').map((b) => b.attributes('data-kind'))
    expect(kinds).toEqual(['receipt', 'suspension', 'extension'])

    const { w: late } = await render({
      request_show: () => requestDetail({ overdue: true, days_left: -2, overdue_reason: null, next_steps: ['explain'] }),
    })
    expect(late.get('[data-testid="request-overdue-reason"]').text()).toBe('尚未说明逾期原因')
    expect(late.find('[data-testid="step-explain"]').exists()).toBe(true)
  })

  it('asks no amount for an item that does not pay out', async () => {
    await render({ request_show: () => requestDetail({ item: 'LY-101', item_name: '林木采伐许可证核发', pays_out: false }) })
    document.querySelector<HTMLElement>('[data-testid="step-decide"]')!.click()
    await flushPromises()
    expect(document.querySelector('[data-testid="decide-opinion"]')).not.toBeNull()
    expect(document.querySelector('[data-testid="decide-amount"]')).toBeNull()
  })

  it('asks before withdrawing, and shows the backend refusal of the step', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const { w, api } = await render({
      request_show: () => incomplete,
      request_step: () => {
        throw { code: 'invalid_input', message: '办件当前状态为“已办结”，不能撤回：办件已经结束' }
      },
    })
    await w.get('[data-testid="step-withdraw"]').trigger('click')
    await flushPromises()
    expect(confirm).toHaveBeenCalledTimes(1)
    expect(api.calls('request_step')[0]).toMatchObject({ step: 'withdraw' })
    expect(w.get('[data-testid="request-error"]').text()).toContain('不能撤回')
    expect(showError).toHaveBeenCalledTimes(1)
    expect(w.get('[data-testid="request-state"]').text()).toBe('待补正')
  })

  it('does nothing when the withdrawal is cancelled', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockRejectedValue('cancel')
    const { w, api } = await render({ request_show: () => incomplete, request_step: () => incomplete })
    await w.get('[data-testid="step-withdraw"]').trigger('click')
    await flushPromises()
    expect(api.calls('request_step')).toEqual([])
  })
})
