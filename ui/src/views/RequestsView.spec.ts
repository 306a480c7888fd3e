import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { fakeBackend } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import type { RequestView } from '../api/types'
import RequestsView from './RequestsView.vue'

function row(number: string, overdue: boolean, days_left: number): RequestView {
  return {
    number,
    item: 'RS-101',
    item_name: '城乡居民基本养老保险参保登记',
    state: 'forwarded',
    state_label: '已转报',
    town: '东风镇',
    applicant_name: '李玥',
    applicant_id_masked: '5202**********1233',
    phone_masked: null,
    accepted_on: '2026-11-28',
    due: '2026-12-11',
    calendar_complete: true,
    clerk: '谢喆赟',
    created_on: '2026-11-28',
    missing: [],
    forwarded_to: '市人力资源和社会保障局',
    forwarded_on: '2026-11-28',
    department_due: '2026-12-11',
    days_passed: 12,
    days_left,
    overdue,
    result: null,
    reason: null,
    alternative: null,
  }
}

enableAutoUnmount(afterEach)
beforeEach(() => resetTownForTests())

describe('RequestsView', () => {
  it('marks the rows the backend calls overdue, and only those', async () => {
    const api = fakeBackend({
      list_towns: () => ['东风镇'],
      request_list: () => [row('DF-20261128-0002', true, -2), row('DF-20261128-0001', false, 3)],
    })
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/requests')
    await router.isReady()
    const w = mount(RequestsView, {
      global: { plugins: [ElementPlus, createAppI18n(), router] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(api.calls('request_list')[0]).toEqual({ town: '东风镇', list: 'today' })
    const rows = w.findAll('[data-testid="requests-table"] .el-table__body tbody tr')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.classes()).toContain('overdue')
    expect(rows[0]!.text()).toContain('超期 2 天')
    expect(rows[1]!.classes()).not.toContain('overdue')
    expect(rows[1]!.text()).toContain('剩余 3 天')
    expect(rows[0]!.text()).not.toContain('520203198503121233')
  })
})
