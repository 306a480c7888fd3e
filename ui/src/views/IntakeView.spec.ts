import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { fakeBackend, type Handler } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import { STAFF_STORAGE_KEY } from '../composables/counterStaff'
import type { ItemDetail, RequestDetail, StaffProfile } from '../api/types'
import IntakeView from './IntakeView.vue'

const item: ItemDetail = {
  code: 'MZ-001',
  name: '临时救助',
  item_type: '行政给付',
  department: '镇人民政府',
  mode: 'delegated',
  configured_mode: 'delegated',
  promised: '5个工作日',
  post: '民政窗口',
  legal_basis: '《社会救助暂行办法》第四十八条',
  statutory: '10个工作日',
  fee: '不收费',
  materials: [
    { seq: 1, name: '临时救助申请书', form: '原件', copies: 1, mandatory: true },
    { seq: 2, name: '居民身份证', form: '原件和复印件', copies: 1, mandatory: true },
    { seq: 3, name: '医疗费用票据', form: '复印件', copies: 1, mandatory: false },
  ],
  letters: [],
}

const staff: StaffProfile[] = [
  { no: 'DF0013', name: '谢喆赟', unit: '社会治理服务中心', roles: ['窗口人员'], credentials: [] },
]

function answer(over: Partial<RequestDetail>): RequestDetail {
  return {
    number: 'DF-20261128-0001',
    item: 'MZ-001',
    item_name: '临时救助',
    state: 'accepted',
    state_label: '已受理',
    town: '东风镇',
    applicant_name: '李玥',
    applicant_id_masked: '5202**********1233',
    phone_masked: null,
    accepted_on: '2026-11-28',
    due: '2026-12-04',
    calendar_complete: true,
    clerk: '谢喆赟',
    created_on: '2026-11-28',
    missing: [],
    forwarded_to: null,
    forwarded_on: null,
    department_due: null,
    days_passed: null,
    days_left: 5,
    overdue: false,
    result: null,
    reason: null,
    alternative: null,
    materials: [],
    timeline: [],
    ...over,
  }
}

function backend(requestNew: Handler) {
  return fakeBackend({
    list_towns: () => ['东风镇'],
    list_staff: () => staff,
    catalog_search: () => [item],
    catalog_item: () => item,
    request_new: requestNew,
  })
}

async function render() {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/intake')
  await router.isReady()
  const wrapper = mount(IntakeView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

function input(w: VueWrapper, testid: string) {
  const el = w.get(`[data-testid="${testid}"]`)
  return el.element.tagName === 'INPUT' ? el : el.get('input')
}

/** Picks the item as the remote select would after the clerk pressed Enter. */
async function pickItem(w: VueWrapper) {
  const selects = w.findAllComponents({ name: 'ElSelect' })
  const itemSelect = selects.find((s) => s.attributes('data-testid') === 'intake-item')!
  itemSelect.vm.$emit('update:modelValue', 'MZ-001')
  await flushPromises()
}

async function fill(w: VueWrapper) {
  await pickItem(w)
  await input(w, 'intake-name').setValue('李玥')
  await input(w, 'intake-id').setValue('520203198503121233')
}

enableAutoUnmount(afterEach)

beforeEach(() => {
  resetTownForTests()
  window.localStorage.clear()
  window.localStorage.setItem(STAFF_STORAGE_KEY, 'DF0013')
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('IntakeView', () => {
  it('sends what was typed, with unticked materials left out, and shows an accepted request', async () => {
    const api = backend(() => answer({}))
    const w = await render()
    await fill(w)
    // Every mandatory material is ticked by default; untick the ID card.
    await w.get('[data-testid="material-2"] input').setValue(false)
    await w.get('form').trigger('submit')
    await flushPromises()

    expect(api.calls('request_new')).toEqual([
      {
        staff: 'DF0013',
        item: 'MZ-001',
        name: '李玥',
        id: '520203198503121233',
        phone: null,
        materials: ['1'],
        remark: null,
      },
    ])
    const result = w.get('[data-testid="intake-result"]')
    expect(result.attributes('data-state')).toBe('accepted')
    expect(result.text()).toContain('DF-20261128-0001')
    expect(result.text()).toContain('2026-12-04')
    expect(result.text()).not.toContain('尚未载入')
    expect(w.find('[data-testid="intake-error"]').exists()).toBe(false)
    // Once recorded, the full ID leaves the form.
    expect((input(w, 'intake-id').element as HTMLInputElement).value).toBe('')
  })

  it('shows the one-time notice of an incomplete request and the calendar warning', async () => {
    backend(() => answer({ state: 'incomplete', state_label: '待补正', missing: ['居民身份证'] }))
    const w = await render()
    await fill(w)
    await w.get('[data-testid="intake-submit"]').trigger('click')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="result-missing"]').text()).toContain('居民身份证')

    backend(() => answer({ calendar_complete: false }))
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="intake-result"]').text()).toContain('节假日安排尚未载入')
  })

  it('shows the reason and where to go for a refused request', async () => {
    backend(() =>
      answer({
        state: 'refused',
        state_label: '不予受理',
        reason: '“居民身份证申领”属不予下放事项',
        alternative: '请群众到市公安局（户籍所在地派出所）办理',
      }),
    )
    const w = await render()
    await fill(w)
    await w.get('form').trigger('submit')
    await flushPromises()
    const result = w.get('[data-testid="intake-result"]')
    expect(result.attributes('data-state')).toBe('refused')
    expect(result.text()).toContain('不予下放')
    expect(result.text()).toContain('派出所')
  })

  it('shows the backend refusal of bad input and no result', async () => {
    backend(() => {
      throw { code: 'invalid_input', message: '身份证号校验位错误：最后一位应为“3”' }
    })
    const w = await render()
    await fill(w)
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="intake-error"]').text()).toContain('身份证号校验位错误')
    expect(w.find('[data-testid="intake-result"]').exists()).toBe(false)
  })
})
