import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { fakeBackend, requestDetail, type Handler } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import { STAFF_STORAGE_KEY } from '../composables/counterStaff'
import { showError } from '../api/notify'
import type { ItemDetail, StaffProfile } from '../api/types'
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
    { seq: 1, name: '临时救助申请书', form: '原件', copies: 1, mandatory: true, pledgeable: false },
    { seq: 2, name: '居民身份证', form: '原件和复印件', copies: 1, mandatory: true, pledgeable: false },
    { seq: 3, name: '医疗费用票据', form: '复印件', copies: 1, mandatory: false, pledgeable: false },
  ],
  letters: [],
  office: { place: '', hours: '', phone: '' },
  listing: { basic_code: '', impl_code: '', case_kind: '', visits: null, conditions: '', pledge: false },
  grant: null,
}

const staff: StaffProfile[] = [
  { no: 'DF0013', name: '谢喆赟', unit: '社会治理服务中心', town: '东风镇', roles: ['窗口人员'], credentials: [] },
  { no: 'DF0020', name: '王芳', unit: '国土所', town: '东风镇', roles: ['窗口人员'], credentials: [] },
]

function backend(requestNew: Handler, overrides: Record<string, Handler> = {}) {
  return fakeBackend({
    list_towns: () => ['东风镇'],
    list_staff: () => staff,
    catalog_search: () => [item],
    catalog_item: () => item,
    request_new: requestNew,
    ...overrides,
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
  return { wrapper, router }
}

function input(w: VueWrapper, testid: string) {
  const el = w.get(`[data-testid="${testid}"]`)
  return el.element.tagName === 'INPUT' ? el : el.get('input')
}

/** Picks the item as the remote select does when the clerk presses Enter. */
async function pickItem(w: VueWrapper) {
  const selects = w.findAllComponents({ name: 'ElSelect' })
  const itemSelect = selects.find((s) => s.attributes('data-testid') === 'intake-item')!
  itemSelect.vm.$emit('update:modelValue', item.code)
  await flushPromises()
}

async function fill(w: VueWrapper) {
  await pickItem(w)
  await input(w, 'intake-name').setValue('李玥')
  await input(w, 'intake-id').setValue('520203198503121233')
}

/** Ctrl+Enter, pressed wherever the cursor is. */
async function ctrlEnter(w: VueWrapper, testid = 'intake-id') {
  await input(w, testid).trigger('keydown', { key: 'Enter', ctrlKey: true })
  await flushPromises()
}

function checkbox(w: VueWrapper, seq: number) {
  return w.get(`[data-testid="material-${seq}"] input`).element as HTMLInputElement
}

enableAutoUnmount(afterEach)

beforeEach(() => {
  resetTownForTests()
  vi.mocked(showError).mockClear()
  window.localStorage.clear()
  window.localStorage.setItem(STAFF_STORAGE_KEY, 'DF0013')
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('IntakeView', () => {
  it('starts in the item search when the clerk is remembered, and ticks every mandatory material', async () => {
    backend(() => requestDetail())
    const { wrapper: w } = await render()
    expect(document.activeElement).toBe(input(w, 'intake-item').element)
    await pickItem(w)
    // Picking the item puts the cursor in the name field.
    expect(document.activeElement).toBe(input(w, 'intake-name').element)
    expect(checkbox(w, 1).checked).toBe(true)
    expect(checkbox(w, 2).checked).toBe(true)
    expect(checkbox(w, 3).checked).toBe(false)
    expect(w.get('[data-testid="material-1"]').text()).toContain('*')
    expect(w.get('[data-testid="material-3"]').text()).not.toContain('*')
  })

  it('sends what was typed, leaving out unticked materials, and shows an accepted request', async () => {
    const api = backend(() => requestDetail())
    const { wrapper: w } = await render()
    await fill(w)
    await input(w, 'intake-phone').setValue(' 13812345678 ')
    await w.get('[data-testid="intake-remark"]').setValue('代母亲申请')
    // The ID card was not handed in; the medical bills were.
    await w.get('[data-testid="material-2"] input').setValue(false)
    await w.get('[data-testid="material-3"] input').setValue(true)
    await ctrlEnter(w, 'intake-phone')

    expect(api.calls('request_new')).toEqual([
      {
        staff: 'DF0013',
        item: 'MZ-001',
        name: '李玥',
        id: '520203198503121233',
        phone: '13812345678',
        materials: ['1', '3'],
        remark: '代母亲申请',
      },
    ])
    const result = w.get('[data-testid="intake-result"]')
    expect(result.attributes('data-state')).toBe('accepted')
    expect(w.get('[data-testid="result-number"]').text()).toBe('DF-20261128-0001')
    expect(result.text()).toContain('已受理')
    expect(w.get('[data-testid="result-due"]').text()).toContain('2026-12-04')
    expect(w.find('[data-testid="calendar-warning"]').exists()).toBe(false)
    expect(w.find('[data-testid="intake-error"]').exists()).toBe(false)
    // Once recorded, the full ID leaves the screen, and Enter starts the next intake.
    expect((input(w, 'intake-id').element as HTMLInputElement).value).toBe('')
    expect(w.text()).not.toContain('520203198503121233')
    expect(document.activeElement).toBe(w.get('[data-testid="result-next"]').element)
  })

  it('sends received-to-examine, a pledge and an agent only when given', async () => {
    const pledging: ItemDetail = {
      ...item,
      listing: { ...item.listing, pledge: true },
      materials: [
        ...item.materials,
        { seq: 4, name: '家庭收入及财产状况说明', form: '原件', copies: 1, mandatory: true, pledgeable: true },
      ],
    }
    const api = backend(() => requestDetail(), { catalog_item: () => pledging, catalog_search: () => [pledging] })
    const { wrapper: w } = await render()
    await fill(w)
    // Only the materials a pledge may replace are offered.
    expect(w.findAll('[data-testid^="pledge-"]')).toHaveLength(1)
    await w.get('[data-testid="pledge-4"] input').setValue(true)
    await w.get('[data-testid="intake-examine-later"] input').setValue(true)
    await input(w, 'intake-agent-name').setValue('王建国')
    await input(w, 'intake-agent-id').setValue('520203196001010016')
    await input(w, 'intake-agent-relation').setValue('子女')
    await ctrlEnter(w)
    expect(api.calls('request_new')[0]).toMatchObject({
      examineLater: true,
      pledge: ['4'],
      agentName: '王建国',
      agentId: '520203196001010016',
      agentRelation: '子女',
    })
  })

  it('sends an empty phone and remark as null, from the submit button', async () => {
    const api = backend(() => requestDetail())
    const { wrapper: w } = await render()
    await fill(w)
    await w.get('[data-testid="intake-submit"]').trigger('click')
    await flushPromises()
    expect(api.calls('request_new')[0]).toMatchObject({ phone: null, remark: null, materials: ['1', '2'] })
  })

  it('lists every missing material of an incomplete request at once', async () => {
    backend(() =>
      requestDetail({
        state: 'incomplete',
        state_label: '待补正',
        due: null,
        accepted_on: null,
        missing: ['居民身份证', '户口簿'],
        next_steps: ['accept', 'refuse', 'withdraw'],
        forms: ['notice'],
      }),
    )
    const { wrapper: w } = await render()
    await fill(w)
    await ctrlEnter(w)
    const result = w.get('[data-testid="intake-result"]')
    expect(result.attributes('data-state')).toBe('incomplete')
    expect(result.text()).toContain('一次性告知')
    const missing = w.findAll('[data-testid="result-missing"] li').map((li) => li.text())
    expect(missing).toEqual(['居民身份证', '户口簿'])
    // The form the backend says prints now: the 一次性告知书.
    expect(w.get('[data-testid="result-print"]').attributes('data-kind')).toBe('notice')
  })

  it('shows the reason and where to go for a refused request', async () => {
    backend(() =>
      requestDetail({
        state: 'refused',
        state_label: '不予受理',
        due: null,
        reason: '“居民身份证申领”属不予下放事项，乡镇不能受理',
        alternative: '请到市公安局（户籍所在地派出所）办理',
        next_steps: [],
        forms: ['refusal'],
      }),
    )
    const { wrapper: w } = await render()
    await fill(w)
    await ctrlEnter(w)
    const result = w.get('[data-testid="intake-result"]')
    expect(result.attributes('data-state')).toBe('refused')
    expect(w.get('[data-testid="result-reason"]').text()).toContain('不予下放')
    expect(w.get('[data-testid="result-alternative"]').text()).toContain('派出所')
    expect(w.find('[data-testid="result-missing"]').exists()).toBe(false)
    expect(w.get('[data-testid="result-print"]').attributes('data-kind')).toBe('refusal')
  })

  it('warns when the due date was counted without the holiday calendar', async () => {
    backend(() => requestDetail({ due: '2027-01-08', calendar_complete: false }))
    const { wrapper: w } = await render()
    await fill(w)
    await ctrlEnter(w)
    expect(w.get('[data-testid="result-due"]').text()).toContain('2027-01-08')
    expect(w.get('[data-testid="calendar-warning"]').text()).toBe(
      '该日期所在年份的节假日安排尚未载入，按工作日（周一至周五）推算',
    )
  })

  it('shows the backend refusal of bad input once, under the field it names', async () => {
    backend(() => {
      throw { code: 'invalid_input', field: 'id', message: '身份证号校验位错误：最后一位应为“3”' }
    })
    const { wrapper: w } = await render()
    await fill(w)
    await ctrlEnter(w)
    expect(w.find('[data-testid="intake-error"]').exists()).toBe(false)
    expect(showError).not.toHaveBeenCalled()
    // Element Plus shows a form item's error after a short debounce.
    await new Promise((resolve) => setTimeout(resolve, 150))
    await flushPromises()
    const idItem = w.get('[data-testid="intake-id"]').element.closest('.el-form-item')!
    expect(idItem.querySelector('.el-form-item__error')?.textContent).toContain('身份证号校验位错误')
    const nameItem = w.get('[data-testid="intake-name"]').element.closest('.el-form-item')!
    expect(nameItem.querySelector('.el-form-item__error')).toBeNull()
    expect(document.activeElement).toBe(input(w, 'intake-id').element)
    expect(w.find('[data-testid="intake-result"]').exists()).toBe(false)
    // What was typed is kept for correction.
    expect((input(w, 'intake-name').element as HTMLInputElement).value).toBe('李玥')
  })

  it('marks the field the backend named, whatever words its message uses', async () => {
    // The message speaks of the item (事项) and the name (姓名), but the core
    // refused the ID number: field `id` decides.
    backend(() => {
      throw { code: 'invalid_input', field: 'id', message: '申请人姓名对应的出生日期不在该事项的受理范围内' }
    })
    const { wrapper: w } = await render()
    await fill(w)
    await ctrlEnter(w)
    await new Promise((resolve) => setTimeout(resolve, 150))
    await flushPromises()
    const errorOf = (testid: string) =>
      w.get(`[data-testid="${testid}"]`).element.closest('.el-form-item')!.querySelector('.el-form-item__error')
    expect(errorOf('intake-id')?.textContent).toContain('出生日期不在该事项的受理范围内')
    expect(errorOf('intake-name')).toBeNull()
    expect(errorOf('intake-item')).toBeNull()
    expect(document.activeElement).toBe(input(w, 'intake-id').element)
  })

  it('marks the form field of each backend field key, and none for an error without a field', async () => {
    const cases: [string | null, string | null][] = [
      ['name', 'intake-name'],
      ['credit_code', 'intake-id'],
      ['phone', 'intake-phone'],
      ['remark', 'intake-remark'],
      [null, null],
    ]
    for (const [field, marked] of cases) {
      backend(() => {
        throw { code: field ? 'invalid_input' : 'forbidden', field, message: '身份证号：不受理' }
      })
      const { wrapper: w } = await render()
      await fill(w)
      await ctrlEnter(w)
      await new Promise((resolve) => setTimeout(resolve, 150))
      await flushPromises()
      const errors = [...document.querySelectorAll('.el-form-item__error')]
      const testids = errors.map((e) => e.closest('.el-form-item')?.querySelector('[data-testid]')?.getAttribute('data-testid'))
      expect(testids, `field ${field}`).toEqual(marked ? [marked] : [])
      // Once: under the field, or under the form when no field is named.
      expect(w.find('[data-testid="intake-error"]').exists(), `field ${field}`).toBe(marked === null)
      if (marked === null) expect(w.get('[data-testid="intake-error"]').text()).toContain('身份证号：不受理')
      w.unmount()
      document.body.innerHTML = ''
    }
  })

  it('asks for the clerk before anything goes to the backend', async () => {
    window.localStorage.clear()
    const api = backend(() => requestDetail())
    const { wrapper: w } = await render()
    expect(document.activeElement).toBe(input(w, 'intake-staff').element)
    await fill(w)
    await ctrlEnter(w)
    expect(api.calls('request_new')).toEqual([])
    await new Promise((resolve) => setTimeout(resolve, 150))
    await flushPromises()
    const staffItem = w.get('[data-testid="intake-staff"]').element.closest('.el-form-item')!
    expect(staffItem.querySelector('.el-form-item__error')?.textContent).toContain('请先选择经办人')
    expect(w.find('[data-testid="intake-error"]').exists()).toBe(false)
  })

  it('Enter moves from field to field; Alt+N and Esc start the next intake in the item search', async () => {
    backend(() => requestDetail())
    const { wrapper: w } = await render()
    await fill(w)
    await input(w, 'intake-name').trigger('keydown', { key: 'Enter' })
    expect(document.activeElement).toBe(input(w, 'intake-id').element)
    await input(w, 'intake-id').trigger('keydown', { key: 'Enter' })
    expect(document.activeElement).toBe(input(w, 'intake-phone').element)

    await ctrlEnter(w)
    expect(w.find('[data-testid="intake-result"]').exists()).toBe(true)
    await w.get('[data-testid="result-next"]').trigger('keydown', { key: 'Escape' })
    await flushPromises()
    expect(w.find('[data-testid="intake-result"]').exists()).toBe(false)
    expect((input(w, 'intake-name').element as HTMLInputElement).value).toBe('')
    expect(w.find('[data-testid="intake-materials"]').exists()).toBe(false)
    expect(document.activeElement).toBe(input(w, 'intake-item').element)

    // Alt+N abandons a half-typed intake, too.
    await fill(w)
    await input(w, 'intake-name').trigger('keydown', { key: 'n', code: 'KeyN', altKey: true })
    await flushPromises()
    expect((input(w, 'intake-name').element as HTMLInputElement).value).toBe('')
    expect(document.activeElement).toBe(input(w, 'intake-item').element)
  })

  it('opens the request page from the result', async () => {
    backend(() => requestDetail())
    const { wrapper: w, router } = await render()
    await fill(w)
    await ctrlEnter(w)
    await w.get('[data-testid="result-open"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/requests/DF-20261128-0001')
  })

  it('says what will happen to a city-only item', async () => {
    backend(() => requestDetail(), {
      catalog_item: () => ({ ...item, mode: 'city_only', configured_mode: 'city_only', department: '市公安局' }),
    })
    const { wrapper: w } = await render()
    await pickItem(w)
    expect(w.get('[data-testid="item-mode"]').attributes('data-mode')).toBe('city_only')
    expect(w.get('[data-testid="intake-mode-note"]').text()).toContain('不予受理')
    expect(w.get('[data-testid="intake-mode-note"]').text()).toContain('市公安局')
  })
})
