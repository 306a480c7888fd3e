import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { fakeBackend, type Handler } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import { resetCatalogSearchForTests, useCatalogSearch } from '../composables/catalogSearch'
import { STAFF_STORAGE_KEY } from '../composables/counterStaff'
import { showError } from '../api/notify'
import type { Decision, ItemDetail, StaffProfile } from '../api/types'
import ItemView from './ItemView.vue'

const detail: ItemDetail = {
  code: '520100-XZXK-0031',
  name: '农村村民宅基地审批',
  item_type: '行政许可',
  department: '市自然资源局',
  mode: 'entrusted',
  configured_mode: 'entrusted',
  promised: '10个工作日',
  post: '国土规划窗口',
  legal_basis: '《中华人民共和国土地管理法》第六十二条',
  statutory: '20个工作日',
  fee: '不收费',
  materials: [
    { seq: 1, name: '农村宅基地和建房（规划许可）申请表', form: '原件', copies: 1, mandatory: true, pledgeable: false },
    { seq: 2, name: '户口簿', form: '原件和复印件', copies: 2, mandatory: true, pledgeable: false },
    { seq: 3, name: '村民小组会议记录', form: '复印件', copies: 1, mandatory: false, pledgeable: false },
  ],
  letters: [
    {
      number: '筑自然资委〔2025〕3号',
      issuer: '市自然资源局',
      valid_from: '2025-01-01',
      valid_to: '2025-03-20',
      state: 'expiring',
      days_left: 12,
    },
  ],
  office: { place: '', hours: '', phone: '' },
  listing: { basic_code: '', impl_code: '', case_kind: '', visits: null, conditions: '', pledge: false },
  grant: null,
}

const staff: StaffProfile[] = [
  { no: 'S001', name: '王芳', unit: '社会治理服务中心', town: '东风镇', roles: ['窗口人员'], credentials: [] },
  {
    no: 'S002',
    name: '李强',
    unit: '国土所',
    town: '东风镇',
    roles: ['审批人员', '窗口人员'],
    credentials: [
      { kind: '行政执法证', number: 'GZ-001', scope: '市自然资源局', valid_from: '2024-01-01', valid_to: '2027-12-31' },
    ],
  },
]

const consultOk: Decision = {
  allowed: true,
  mode: 'entrusted',
  basis: '咨询随时可以提供',
  reason: null,
  alternative: null,
  about_staff: false,
}
const approveRefused: Decision = {
  allowed: false,
  mode: 'entrusted',
  basis: '委托事项，依据委托书 筑自然资委〔2025〕3号',
  reason: '王芳没有审批人员或镇领导的角色，不能审批',
  alternative: '请本镇审批人员审批',
  about_staff: true,
}

function backend(authority: Handler, overrides: Record<string, Handler> = {}) {
  return fakeBackend({
    list_towns: () => ['青石镇', '白水乡'],
    catalog_item: () => detail,
    list_staff: () => staff,
    authority,
    ...overrides,
  })
}

async function render(path = '/catalog/520100-XZXK-0031') {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(ItemView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

enableAutoUnmount(afterEach)

beforeEach(() => {
  resetTownForTests()
  resetCatalogSearchForTests()
  window.localStorage.clear()
  vi.mocked(showError).mockReset()
})

afterEach(() => {
  document.body.innerHTML = ''
})

describe('ItemView', () => {
  it('shows the item with its details, materials and letters', async () => {
    const api = backend(() => consultOk)
    const { wrapper } = await render()

    expect(api.calls('catalog_item')).toEqual([{ town: '青石镇', code: '520100-XZXK-0031' }])
    expect(wrapper.get('[data-testid="item-code"]').text()).toBe('520100-XZXK-0031')
    expect(wrapper.get('[data-testid="item-title-name"]').text()).toBe('农村村民宅基地审批')
    const details = wrapper.get('[data-testid="item-details"]').text()
    for (const text of ['行政许可', '市自然资源局', '委托', '国土规划窗口', '20个工作日', '10个工作日', '不收费']) {
      expect(details).toContain(text)
    }
    expect(wrapper.get('[data-testid="item-legal-basis"]').text()).toBe('《中华人民共和国土地管理法》第六十二条')

    const rows = wrapper.findAll('[data-testid="materials-table"] .el-table__body tbody tr')
    expect(rows).toHaveLength(3)
    expect(rows[1]!.text()).toContain('户口簿')
    expect(rows[1]!.text()).toContain('原件和复印件')
    expect(rows[1]!.findAll('td')[3]!.text()).toBe('2')
    const mandatory = wrapper.findAll('[data-testid="material-mandatory"]')
    expect(mandatory.map((m) => m.text())).toEqual(['是', '是', '否'])
    expect(rows[0]!.find('.required-mark').exists()).toBe(true)
    expect(rows[2]!.find('.required-mark').exists()).toBe(false)

    const letters = wrapper.get('[data-testid="letters-table"]').text()
    expect(letters).toContain('筑自然资委〔2025〕3号')
    expect(letters).toContain('2025-01-01 至 2025-03-20')
    expect(wrapper.get('[data-testid="letter-state"]').text()).toBe('即将到期（还剩 12 天）')
  })

  it('asks nothing of the authority check until a person is chosen', async () => {
    const api = backend(() => consultOk)
    const { wrapper } = await render()
    expect(api.calls('authority')).toHaveLength(0)
    expect(wrapper.find('[data-testid="decision-consult"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="check-hint"]').text()).toContain('选择办理人员')
  })

  it('shows the five answers of the authority check, and only what it answered', async () => {
    window.localStorage.setItem(STAFF_STORAGE_KEY, 'S001')
    let releaseForward: (d: Decision) => void = () => {}
    const api = backend(({ action }) => {
      switch (action) {
        case 'consult':
          return consultOk
        case 'approve':
          return approveRefused
        case 'forward':
          // Still on its way when the screen is looked at.
          return new Promise<Decision>((resolve) => (releaseForward = resolve))
        case 'enforce':
          throw { code: 'invalid_input', message: '人员编号“S001”不存在' }
        default:
          // 'accept' is answered too, but differently from 'consult', so
          // that a row copying another row's answer shows up.
          return { ...consultOk, basis: '委托事项，本镇可受理' }
      }
    })
    const { wrapper } = await render()

    // The remembered person is chosen again, and each action asked once.
    expect(api.calls('authority')).toEqual(
      ['consult', 'accept', 'approve', 'forward', 'enforce'].map((action) => ({
        staff: 'S001',
        item: '520100-XZXK-0031',
        action,
        on: null,
      })),
    )

    const consult = wrapper.get('[data-testid="decision-consult"]')
    expect(consult.classes()).toContain('allowed')
    expect(consult.classes()).not.toContain('refused')
    expect(consult.text()).toContain('✓')
    expect(consult.text()).toContain('咨询')
    expect(consult.text()).toContain('咨询随时可以提供')

    const accept = wrapper.get('[data-testid="decision-accept"]')
    expect(accept.classes()).toContain('allowed')
    expect(accept.text()).toContain('委托事项，本镇可受理')

    const approve = wrapper.get('[data-testid="decision-approve"]')
    expect(approve.classes()).toContain('refused')
    expect(approve.classes()).not.toContain('allowed')
    expect(approve.text()).toContain('✗')
    expect(approve.text()).toContain('审批')
    expect(approve.get('[data-testid="decision-reason"]').text()).toBe('王芳没有审批人员或镇领导的角色，不能审批')
    expect(approve.get('[data-testid="decision-alternative"]').text()).toBe('建议：请本镇审批人员审批')

    // No answer yet, and a failed call: neither reads as allowed or refused.
    for (const action of ['forward', 'enforce']) {
      const row = wrapper.get(`[data-testid="decision-${action}"]`)
      expect(row.classes()).not.toContain('allowed')
      expect(row.classes()).not.toContain('refused')
      expect(row.text()).not.toContain('✓')
      expect(row.text()).not.toContain('✗')
    }
    expect(wrapper.get('[data-testid="decision-forward"]').text()).toContain('正在查询')
    expect(wrapper.get('[data-testid="decision-enforce"]').text()).toContain('未能取得判断')
    expect(showError).toHaveBeenCalledTimes(1)

    releaseForward({ ...approveRefused, reason: '转报须先受理', alternative: null })
    await flushPromises()
    const forward = wrapper.get('[data-testid="decision-forward"]')
    expect(forward.classes()).toContain('refused')
    expect(forward.text()).toContain('转报须先受理')
    expect(forward.find('[data-testid="decision-alternative"]').exists()).toBe(false)
  })

  it('asks again for the chosen date and remembers the chosen person', async () => {
    window.localStorage.setItem(STAFF_STORAGE_KEY, 'S001')
    const api = backend(() => consultOk)
    const { wrapper } = await render()
    expect(api.calls('authority')).toHaveLength(5)

    const select = wrapper
      .findAllComponents({ name: 'ElSelect' })
      .find((c) => c.attributes('data-testid') === 'staff-select')!
    select.vm.$emit('update:modelValue', 'S002')
    select.vm.$emit('change', 'S002')
    await flushPromises()
    expect(window.localStorage.getItem(STAFF_STORAGE_KEY)).toBe('S002')
    expect(api.calls('authority').slice(5).map((a) => a.staff)).toEqual(['S002', 'S002', 'S002', 'S002', 'S002'])

    const picker = wrapper.findComponent({ name: 'ElDatePicker' })
    picker.vm.$emit('update:modelValue', '2025-04-01')
    await flushPromises()
    expect(api.calls('authority').slice(10).map((a) => a.on)).toEqual(Array(5).fill('2025-04-01'))
  })

  it('goes back to the list on Escape, keeping the search', async () => {
    backend(() => consultOk)
    useCatalogSearch().query.value = 'zjd'
    const { router } = await render()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }))
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/catalog')
    expect(useCatalogSearch().query.value).toBe('zjd')
  })
})
