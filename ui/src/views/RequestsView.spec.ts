import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { routes } from '../router'
import { fakeBackend, requestView, type Handler } from '../test/backend'
import { resetTownForTests } from '../composables/town'
import { setSessionForTests } from '../composables/session'
import type { RequestView } from '../api/types'
import RequestsView from './RequestsView.vue'

/** A list's answer: its rows, none left out. */
function page(rows: RequestView[]) {
  return { rows, more: false, limit: 200 }
}

function forwarded(number: string, overdue: boolean, days_left: number): RequestView {
  return requestView({
    number,
    item: 'RS-101',
    item_name: '城乡居民基本养老保险参保登记',
    state: 'forwarded',
    state_label: '已转报',
    forwarded_to: '市人力资源和社会保障局',
    forwarded_on: '2026-11-10',
    department_due: '2026-11-26',
    days_passed: 14,
    days_left,
    overdue,
  })
}

async function render(handlers: Record<string, Handler>) {
  const api = fakeBackend({ list_towns: () => ['东风镇'], ...handlers })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/requests')
  await router.isReady()
  const w = mount(RequestsView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, api, router }
}

const bodyRows = (w: ReturnType<typeof mount>) => w.findAll('[data-testid="requests-table"] .el-table__body tbody tr')

enableAutoUnmount(afterEach)
// The list's background refresh runs on setInterval: faked, so that it fires only where a
// test moves the clock.
beforeEach(() => {
  resetTownForTests()
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
})
afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('RequestsView', () => {
  it("opens an approver's screen on 待审批, and shows a clerk no such tab", async () => {
    setSessionForTests({
      loaded: true,
      account: null,
      permissions: ['read_catalog', 'read_requests', 'approve', 'print'],
    })
    let { w, api } = await render({ request_list: () => page([]) })
    const tabs = () => w.findAll('.el-tabs__item').map((t) => t.text().trim())
    expect(tabs()[0]).toBe('待审批')
    expect(api.calls('request_list')).toEqual([{ town: '东风镇', list: 'pending', background: false }])
    w.unmount()
    document.body.innerHTML = ''
    setSessionForTests({ loaded: true, account: null, permissions: ['read_catalog', 'read_requests', 'intake', 'print'] })
    ;({ w, api } = await render({ request_list: () => page([]) }))
    expect(tabs()).not.toContain('待审批')
    expect(api.calls('request_list')).toEqual([{ town: '东风镇', list: 'today', background: false }])
    setSessionForTests({ loaded: false, account: null, permissions: [] })
  })

  it('marks the rows the backend calls overdue, and only those', async () => {
    // The second row has no days left yet is not overdue: the screen follows the backend's flag.
    const { w, api } = await render({
      request_list: () => page([forwarded('DF-20261110-0002', true, -2), forwarded('DF-20261110-0001', false, 0)]),
    })
    expect(api.calls('request_list')).toEqual([{ town: '东风镇', list: 'today', background: false }])
    const rows = bodyRows(w)
    expect(rows).toHaveLength(2)
    expect(rows[0]!.classes()).toContain('overdue')
    expect(rows[0]!.text()).toContain('已超期 2 个工作日')
    expect(rows[0]!.text()).toContain('已用 14 个工作日')
    expect(rows[0]!.text()).toContain('市人力资源和社会保障局')
    expect(rows[1]!.classes()).not.toContain('overdue')
    expect(rows[1]!.text()).toContain('剩余 0 个工作日')
    expect(w.findAll('[data-testid="request-number"]').map((c) => c.text())).toEqual([
      'DF-20261110-0002',
      'DF-20261110-0001',
    ])
    // Masked ID only.
    expect(rows[0]!.text()).toContain('5202**********1233')
  })

  it('asks for the list of the chosen tab', async () => {
    const { w, api } = await render({ request_list: () => page([]) })
    const tabs = w.findAll('[data-testid="requests-tabs"] .el-tabs__item')
    expect(tabs.map((t) => t.text())).toEqual(['今日受理', '待补正', '已转报', '已超期', '全部'])
    await tabs[3]!.trigger('click')
    await flushPromises()
    expect(api.calls('request_list').map((a) => a.list)).toEqual(['today', 'overdue'])
  })

  it('searches on Enter and opens a request from its row', async () => {
    const { w, api, router } = await render({
      request_list: () => page([]),
      request_search: () => [requestView()],
    })
    const search = w.get('input[data-testid="requests-search"]')
    await search.setValue(' lyy ')
    await search.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(api.calls('request_search')).toEqual([{ town: '东风镇', query: 'lyy', background: false }])
    expect(bodyRows(w)).toHaveLength(1)
    await bodyRows(w)[0]!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/requests/DF-20261128-0001')
  })

  it('shows a refused search once, keeps its text, and goes back to refreshing the list', async () => {
    const { showError } = await import('../api/notify')
    const refusal = { code: 'invalid', field: 'query', message: '按姓名查找请至少输入两个字（姓名中任意连续的两个字即可）' }
    const { w, api } = await render({
      request_list: () => page([]),
      request_search: () => {
        throw refusal
      },
    })
    const search = w.get('input[data-testid="requests-search"]')
    await search.setValue('玥')
    await search.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(showError).toHaveBeenCalledTimes(1)
    expect(vi.mocked(showError).mock.calls[0]![0]).toMatchObject(refusal)
    expect((search.element as HTMLInputElement).value).toBe('玥')
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(api.calls('request_search')).toHaveLength(1)
    expect(api.calls('request_list')).toHaveLength(2)
    expect(w.find('[data-testid="requests-stale"]').exists()).toBe(false)
    expect(w.find('[data-testid="requests-search-note"]').exists()).toBe(false)
    expect(showError).toHaveBeenCalledTimes(1)
    vi.mocked(showError).mockClear()
  })

  it('prints the 转报交接单 of a forwarded row: its department and day, without opening the request', async () => {
    const { w, api, router } = await render({
      request_list: () => page([forwarded('DF-20261110-0001', false, 3)]),
      printers: () => ({ printers: [], default: null }),
      list_staff: () => [],
      form_preview: () => ({
        form: {
          kind: 'handover',
          kind_label: '转报交接单',
          form_no: 'JJ-DF-20261110-SRLZYHSHBZJ',
          town_id: 2,
          request_number: null,
          department: '市人力资源和社会保障局',
          copy: 1,
          pages: 1,
        },
        pages: ['data:image/png;base64,AAAA'],
      }),
      form_issues: () => [],
    })
    // Only the forwarded tab has the column.
    expect(w.find('[data-testid="request-handover"]').exists()).toBe(false)
    await w.findAll('.el-tabs__item').find((t) => t.text() === '已转报')!.trigger('click')
    await flushPromises()
    await w.get('[data-testid="request-handover"]').trigger('click')
    await flushPromises()
    expect(api.calls('form_preview')).toEqual([
      {
        kind: 'handover',
        number: null,
        department: '市人力资源和社会保障局',
        town: '东风镇',
        on: '2026-11-10',
        paper: 'a4',
      },
    ])
    expect(router.currentRoute.value.path).toBe('/requests')
    expect(document.querySelector('[data-testid="preview-form-no"]')!.textContent).toContain('JJ-DF-20261110')
  })

  // Issue 17, point 4: the day's closing sheet carries the audit head away from the PC.
  it('prints the 日结单 of the town shown, for today, on A4 only', async () => {
    setSessionForTests({ loaded: true, account: null, permissions: ['read_catalog', 'read_requests', 'intake', 'print'] })
    const { w, api } = await render({
      request_list: () => page([]),
      printers: () => ({ printers: [], default: null }),
      list_staff: () => [],
      form_preview: () => ({
        form: {
          kind: 'closing',
          kind_label: '日结单',
          form_no: 'RJ-DF-20261128',
          town_id: 2,
          request_number: null,
          department: null,
          copy: 1,
          pages: 1,
        },
        pages: ['data:image/png;base64,AAAA'],
      }),
      form_issues: () => [],
    })
    await w.get('[data-testid="requests-closing"]').trigger('click')
    await flushPromises()
    expect(api.calls('form_preview')).toEqual([
      { kind: 'closing', number: null, department: null, town: '东风镇', on: null, paper: null },
    ])
    expect(document.querySelector('[data-testid="preview-form-no"]')!.textContent).toContain('RJ-DF-20261128')
    setSessionForTests({ loaded: false, account: null, permissions: [] })
  })

  it('shows requests taken in at other counters without a click, and keeps the rows when the server drops', async () => {
    const first = requestView({ number: 'DF-20261128-0001' })
    const second = requestView({ number: 'DF-20261128-0002', applicant_name: '王喆赟' })
    let answer: unknown = [first]
    const { w, api } = await render({
      request_list: () => {
        if (answer instanceof Error) throw { code: 'unreachable', message: '无法连接数据库服务器' }
        return page(answer as RequestView[])
      },
    })
    expect(bodyRows(w)).toHaveLength(1)
    // Another counter takes a resident in: the next refresh, within a second, shows it.
    answer = [second, first]
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(api.calls('request_list')).toHaveLength(2)
    // The refresh is the window's, not the clerk's: it keeps no idle session alive (issue 17).
    expect(api.calls('request_list')[1]).toMatchObject({ background: true })
    expect(bodyRows(w)).toHaveLength(2)
    expect(bodyRows(w)[0]!.text()).toContain('DF-20261128-0002')
    expect(w.find('[data-testid="requests-stale"]').exists()).toBe(false)
    // The server goes away: the rows stay, a quiet warning says they may be old, no error box.
    answer = new Error('down')
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(bodyRows(w)).toHaveLength(2)
    expect(w.find('[data-testid="requests-stale"]').exists()).toBe(true)
    const { showError } = await import('../api/notify')
    expect(showError).not.toHaveBeenCalled()
    // It comes back: the warning goes.
    answer = [second, first]
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(w.find('[data-testid="requests-stale"]').exists()).toBe(false)
  })
  it('shows a long list fifty rows to a page, keeps the page in range when the list shortens, and starts a new list on its first page', async () => {
    const numbered = (n: number) =>
      Array.from({ length: n }, (_, i) => requestView({ number: `DF-20261128-${String(n - i).padStart(4, '0')}` }))
    let answer = numbered(120)
    const { w, api } = await render({ request_list: () => ({ rows: answer, more: true, limit: 200 }) })
    expect(bodyRows(w)).toHaveLength(50)
    expect(bodyRows(w)[0]!.text()).toContain('DF-20261128-0120')
    const pages = w.find('[data-testid="requests-pages"]')
    expect(pages.text()).toContain('共 120 件，每页 50 件')
    // The third page: the last twenty.
    await pages.findAll('.el-pager li').find((li) => li.text() === '3')!.trigger('click')
    await flushPromises()
    expect(bodyRows(w)).toHaveLength(20)
    expect(bodyRows(w)[0]!.text()).toContain('DF-20261128-0020')
    // A refresh with sixty rows: the third page is gone, the second (the last ten) shows.
    answer = numbered(60)
    vi.advanceTimersByTime(1000)
    await flushPromises()
    expect(bodyRows(w)).toHaveLength(10)
    expect(bodyRows(w)[0]!.text()).toContain('DF-20261128-0010')
    // Another list starts on its first page; a list of fifty or fewer shows no pager.
    answer = numbered(30)
    await w.findAll('.el-tabs__item').find((t) => t.text() === '已超期')!.trigger('click')
    await flushPromises()
    expect(api.calls('request_list').at(-1)).toMatchObject({ list: 'overdue' })
    expect(bodyRows(w)).toHaveLength(30)
    expect(bodyRows(w)[0]!.text()).toContain('DF-20261128-0030')
    expect(w.find('[data-testid="requests-pages"]').exists()).toBe(false)
  })
})
