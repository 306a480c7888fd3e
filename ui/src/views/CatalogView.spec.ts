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
import { resetCatalogSearchForTests } from '../composables/catalogSearch'
import type { ItemSummary, LetterAlert } from '../api/types'
import CatalogView from './CatalogView.vue'

function item(overrides: Partial<ItemSummary>): ItemSummary {
  return {
    code: '',
    name: '',
    item_type: '行政给付',
    department: '市民政局',
    mode: 'delegated',
    configured_mode: 'delegated',
    promised: '5个工作日',
    post: '社会事务窗口',
    ...overrides,
  }
}

const lsjz = item({ code: '520100-XZGF-0012', name: '临时救助', promised: '当场办结' })
const tdcz = item({
  code: '520100-XZXK-0031',
  name: '农村村民宅基地审批',
  item_type: '行政许可',
  department: '市自然资源局',
  mode: 'forward',
  configured_mode: 'entrusted',
  promised: '20个工作日',
  post: '国土规划窗口',
})
const qsxk = item({
  code: '520100-XZXK-0040',
  name: '林木采伐许可',
  item_type: '行政许可',
  department: '市林业局',
  mode: 'city_only',
  configured_mode: 'city_only',
})

const expiring: LetterAlert = {
  number: '筑自然资委〔2025〕3号',
  issuer: '市自然资源局',
  valid_to: '2025-03-20',
  days_left: 12,
  state: 'expiring',
  items: ['农村村民宅基地审批', '乡村建设规划许可'],
}
const expired: LetterAlert = {
  number: '筑林委〔2024〕7号',
  issuer: '市林业局',
  valid_to: '2025-02-28',
  days_left: -8,
  state: 'expired',
  items: ['林木采伐许可'],
}

function backend(overrides: Record<string, Handler> = {}) {
  return fakeBackend({
    list_towns: () => ['青石镇', '白水乡'],
    catalog_departments: () => ['市民政局', '市自然资源局', '市林业局'],
    letter_alerts: () => [],
    // The fake backend answers by the query it was given; the view must show
    // exactly that, not filter again (临时救助 does not contain "lsjz").
    catalog_search: ({ query }) => (query === 'lsjz' ? [lsjz] : query === '' ? [lsjz, tdcz, qsxk] : []),
    ...overrides,
  })
}

async function render() {
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/catalog')
  await router.isReady()
  const wrapper = mount(CatalogView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

function names(wrapper: Awaited<ReturnType<typeof render>>['wrapper']): string[] {
  return wrapper.findAll('[data-testid="catalog-table"] [data-testid="item-name"]').map((n) => n.text())
}

// A test that fails half-way must not leave its screen listening to the
// shared town for the next one.
enableAutoUnmount(afterEach)

beforeEach(() => {
  resetTownForTests()
  resetCatalogSearchForTests()
})

afterEach(() => {
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('CatalogView letter banner', () => {
  it('warns of an expiring letter and reports an expired one as an error', async () => {
    backend({ letter_alerts: () => [expiring, expired] })
    const { wrapper } = await render()

    const banner = wrapper.get('[data-testid="letter-banner"]')
    const alerts = banner.findAll('[data-testid="letter-alert"]')
    expect(alerts).toHaveLength(2)
    // The expired letter comes first: it has already changed what the hall may do.
    const [first, second] = alerts
    expect(first!.attributes('data-state')).toBe('expired')
    expect(first!.get('.el-alert').classes()).toContain('el-alert--error')
    expect(first!.text()).toBe('委托书 筑林委〔2024〕7号（市林业局）已于 2025-02-28 失效，相关事项已改为收件转报：林木采伐许可')
    expect(second!.attributes('data-state')).toBe('expiring')
    expect(second!.get('.el-alert').classes()).toContain('el-alert--warning')
    expect(second!.text()).toBe(
      '委托书 筑自然资委〔2025〕3号（市自然资源局）将于 2025-03-20 到期，还剩 12 天，涉及：农村村民宅基地审批、乡村建设规划许可',
    )
  })

  it('asks for the chosen town and today, and shows no banner when nothing is due', async () => {
    const api = backend()
    const { wrapper } = await render()
    expect(api.calls('letter_alerts')).toEqual([{ town: '青石镇', on: null }])
    expect(wrapper.find('[data-testid="letter-banner"]').exists()).toBe(false)
  })
})

describe('CatalogView search', () => {
  it('lists what the backend found, with mode tags and the count', async () => {
    const api = backend()
    const { wrapper } = await render()

    expect(api.calls('catalog_search')).toEqual([{ town: '青石镇', query: '', mode: null, department: null }])
    expect(names(wrapper)).toEqual(['临时救助', '农村村民宅基地审批', '林木采伐许可'])
    expect(wrapper.get('[data-testid="catalog-count"]').text()).toBe('共 3 项')

    const tags = wrapper.findAll('[data-testid="catalog-table"] [data-testid="item-mode"]')
    expect(tags.map((tag) => tag.text())).toEqual(['下放', '委托（已失效）→ 收件转报', '不予下放'])
    expect(tags[0]!.classes()).toContain('el-tag--success')
    expect(tags[1]!.classes()).toContain('el-tag--warning')
    expect(tags[2]!.classes()).toContain('el-tag--danger')
    const firstRow = wrapper.get('[data-testid="catalog-table"] .el-table__body tbody tr')
    expect(firstRow.text()).toContain('520100-XZGF-0012')
    expect(firstRow.text()).toContain('当场办结')
    expect(firstRow.text()).toContain('社会事务窗口')
  })

  it('passes the typed text to catalog_search once typing pauses', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const api = backend()
    const { wrapper } = await render()
    expect(api.calls('catalog_search')).toHaveLength(1)

    const input = wrapper.get('input[data-testid="catalog-search"]')
    for (const text of ['l', 'ls', 'lsj', 'lsjz']) {
      await input.setValue(text)
      await vi.advanceTimersByTimeAsync(50)
    }
    // Still typing as far as the screen knows: nothing asked yet.
    expect(api.calls('catalog_search')).toHaveLength(1)
    expect(names(wrapper)).toHaveLength(3)

    await vi.advanceTimersByTimeAsync(150)
    await flushPromises()
    expect(api.calls('catalog_search')).toEqual([
      { town: '青石镇', query: '', mode: null, department: null },
      { town: '青石镇', query: 'lsjz', mode: null, department: null },
    ])
    expect(names(wrapper)).toEqual(['临时救助'])
    expect(wrapper.get('[data-testid="catalog-count"]').text()).toBe('共 1 项')
  })

  it('sends the mode filter as its English key', async () => {
    const api = backend()
    const { wrapper } = await render()
    await wrapper.get('[data-testid="mode-filter"] input[value="entrusted"]').setValue(true)
    await flushPromises()
    expect(api.calls('catalog_search').at(-1)).toEqual({
      town: '青石镇',
      query: '',
      mode: 'entrusted',
      department: null,
    })
  })

  it('opens the first result on Enter, asking at once for text still being debounced', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const api = backend()
    const { wrapper, router } = await render()
    const input = wrapper.get('input[data-testid="catalog-search"]')
    await input.setValue('lsjz')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(api.calls('catalog_search').at(-1)).toMatchObject({ query: 'lsjz' })
    expect(router.currentRoute.value.fullPath).toBe('/catalog/520100-XZGF-0012')
  })

  it('moves the highlighted row with the arrow keys and opens it on Enter', async () => {
    backend()
    const { wrapper, router } = await render()
    const input = wrapper.get('input[data-testid="catalog-search"]')
    await input.trigger('keydown', { key: 'ArrowDown' })
    await input.trigger('keydown', { key: 'ArrowDown' })
    await input.trigger('keydown', { key: 'ArrowUp' })
    await flushPromises()
    const current = wrapper.get('[data-testid="catalog-table"] .el-table__body tr.current-row')
    expect(current.text()).toContain('农村村民宅基地审批')
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/catalog/520100-XZXK-0031')
  })

  it('opens an item when its row is clicked', async () => {
    backend()
    const { wrapper, router } = await render()
    await wrapper.findAll('[data-testid="item-name"]')[2]!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('item')
    expect(router.currentRoute.value.params.code).toBe('520100-XZXK-0040')
  })

  it('focuses the search box on / from elsewhere on the screen', async () => {
    backend()
    const { wrapper } = await render()
    const input = wrapper.get('input[data-testid="catalog-search"]').element as HTMLInputElement
    input.blur()
    expect(document.activeElement).not.toBe(input)
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true }))
    expect(document.activeElement).toBe(input)
  })
})
