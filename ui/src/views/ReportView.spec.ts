import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'

// No canvas in jsdom: ECharts' init is replaced by a chart that keeps the options it is given
// and the click handler it is told about.
const charts = vi.hoisted(() => {
  interface FakeChart {
    options: unknown[]
    click: ((params: { seriesIndex?: number; dataIndex?: number }) => void) | null
  }
  const made: FakeChart[] = []
  return {
    made,
    init: () => {
      const chart: FakeChart = { options: [], click: null }
      made.push(chart)
      return {
        setOption: (option: unknown) => chart.options.push(option),
        on: (event: string, handler: FakeChart['click']) => {
          if (event === 'click') chart.click = handler
        },
        resize: () => {},
        dispose: () => {},
      }
    },
  }
})
vi.mock('echarts/core', () => ({ use: vi.fn(), init: vi.fn(charts.init) }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { init } from 'echarts/core'
import { createAppI18n } from '../i18n'
import { MENU, router as appRouter, routes } from '../router'
import { fakeBackend, type Handler } from '../test/backend'
import { behindRows, department, group, performanceReport, rate } from '../test/report'
import { resetTownForTests } from '../composables/town'
import { setSessionForTests } from '../composables/session'
import { showError, showSuccess } from '../api/notify'
import type { Account, Permission, PerformanceReport } from '../api/types'
import ReportView from './ReportView.vue'

const LEADER: Permission[] = ['read_catalog', 'read_requests', 'view_staffing', 'approve', 'extend', 'print', 'follow_up']
const CLERK: Permission[] = ['read_catalog', 'read_requests', 'intake', 'print', 'read_full_id']
const APPROVER: Permission[] = ['read_catalog', 'read_requests', 'approve', 'print', 'read_full_id']
const COUNTY: Permission[] = ['read_catalog', 'read_requests', 'view_staffing', 'print']
const ADMIN: Permission[] = ['read_catalog', 'import', 'manage_accounts', 'backup', 'view_staffing']

const LINGDAO = { username: 'lingdao', staff_town: '东风镇' } as Account
const XIANJI = { username: 'xianji', staff_town: null } as Account

// 东风镇 in November up to the 28th: 1768 completed, 1486 of them on time (84.0%).
const REPORT: PerformanceReport = performanceReport({
  received: 1950,
  consulted: 120,
  accepted: 1900,
  completed: 1768,
  on_time: 1486,
  early: 900,
  late: 282,
  on_the_spot: 610,
  refused: 12,
  forwarded: 64,
  answered: 51,
  open: 170,
  overdue_now: 9,
  by_week: [
    group('2026-11-02', '2026-11-02 起一周', { received: 480, completed: 450, on_time: 400, late: 50 }),
    group('2026-11-09', '2026-11-09 起一周', { received: 500, completed: 470, on_time: 390, late: 80 }),
  ],
  by_post: [
    group('综合窗口', '综合窗口', { received: 1200, completed: 1100, on_time: 950, late: 3, overdue_now: 4 }),
    group('社保窗口', '社保窗口', { received: 750, completed: 668, on_time: 536, late: 279, overdue_now: 5 }),
  ],
  by_clerk: [group('DF0013', '谢喆赟（DF0013）', { received: 700, completed: 650, on_time: 600, late: 50 })],
  by_item: [group('MZ-001', '临时救助', { received: 300, completed: 280, on_time: 270, late: 10 })],
  by_department: [
    department({ department: '市林业局', forwarded: 40, answered: 38, answered_on_time: 36, median_days: 4, p90_days: 9, score: 90 }),
    department({ department: '市人社局', forwarded: 24, answered: 13, answered_on_time: 10, median_days: 8, p90_days: 15, overdue_now: 2, score: 31 }),
  ],
  post_staffing: [
    {
      post: '综合窗口',
      needed_peak: 3,
      staffed: 2,
      short_hours: 4,
      short: [{ unit: '社会治理服务中心', vacancies: 2, seconded_out: 1, on_leave: 0, away: ['张三（借调出）'] }],
    },
    { post: '社保窗口', needed_peak: 2, staffed: 2, short_hours: 0, short: [] },
    { post: '不动产窗口', needed_peak: 1, staffed: 1, short_hours: 0, short: [] },
  ],
  satisfaction: {
    ratings: 40,
    grades: [
      [5, '非常满意', 25],
      [4, '满意', 8],
      [3, '基本满意', 3],
      [2, '不满意', 3],
      [1, '非常不满意', 1],
    ],
    satisfied: rate(36, 40),
    followups: 4,
    followups_closed_on_time: rate(3, 4),
    followups_overdue_now: 1,
  },
})

async function render(
  permissions: Permission[] = LEADER,
  handlers: Record<string, Handler> = {},
  account: Account = LINGDAO,
) {
  setSessionForTests({ loaded: true, account, permissions })
  const api = fakeBackend({
    list_towns: () => ['东风镇'],
    report: () => REPORT,
    report_requests: () => [],
    ...handlers,
  })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/report')
  await router.isReady()
  const w = mount(ReportView, {
    global: { plugins: [ElementPlus, createAppI18n(), router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, api, router }
}

/** The drill-down dialog, which Element Plus puts under <body>. */
function drill() {
  const body = document.querySelector<HTMLElement>('[data-testid="drill-dialog"]')
  const dialog = body?.closest<HTMLElement>('.el-dialog') ?? null
  return {
    shown: !!dialog && dialog.closest<HTMLElement>('.el-overlay')?.style.display !== 'none',
    title: dialog?.querySelector('.el-dialog__title')?.textContent?.trim() ?? '',
    rows: [...document.querySelectorAll('[data-testid="drill-table"] .el-table__body tbody tr')],
    numbers: [...document.querySelectorAll<HTMLAnchorElement>('[data-testid="drill-number"]')],
  }
}

/** A card's label and value, as read aloud. */
function card(w: ReturnType<typeof mount>, testid: string): string {
  const c = w.get(`[data-testid="${testid}"]`)
  return `${c.get('.card-label').text()} ${c.get('.card-value').text()}`
}

const RANGE = { town: '东风镇', from: '2026-11-01', to: '2026-11-28' }

enableAutoUnmount(afterEach)
beforeEach(() => {
  resetTownForTests()
  charts.made.length = 0
  vi.mocked(init).mockClear()
  vi.mocked(showError).mockClear()
  vi.mocked(showSuccess).mockClear()
  // This PC's clock: 28 November 2026 in Beijing, as the backend's today in REPORT.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2026-11-28T02:00:00Z'))
})
afterEach(() => {
  vi.useRealTimers()
  setSessionForTests({ loaded: false, account: null, permissions: [] })
  document.body.innerHTML = ''
})

describe('ReportView', () => {
  it('asks for this month of the town, and shows each figure as a card and each rate with both its numbers', async () => {
    const { w, api } = await render()
    expect(api.calls('report')).toEqual([RANGE])
    expect(w.get('[data-testid="report-counted"]').text()).toContain('东风镇 2026-11-01 至 2026-11-28 收件的办件')
    expect(card(w, 'figure-received')).toBe('收件 1950')
    expect(card(w, 'figure-completed')).toBe('办结 1768')
    expect(card(w, 'figure-on_time')).toBe('按时办结 1486')
    expect(card(w, 'figure-late')).toBe('超期办结 282')
    expect(card(w, 'figure-overdue_now')).toBe('当前超期 9')
    expect(card(w, 'figure-consulted')).toBe('咨询 120')
    expect(w.findAll('[data-testid^="figure-"]')).toHaveLength(13)
    // 按时办结率 84.0%（1486/1768）: the rate, then the two figures it divides.
    const onTime = w.get('[data-testid="rate-on_time_rate"]')
    expect(onTime.text().replace(/\s+/g, '')).toBe('按时办结率84.0%（1486/1768）')
    expect(w.get('[data-testid="rate-late_rate"]').text().replace(/\s+/g, '')).toBe('超期办结率16.0%（282/1768）')
    expect(w.get('[data-testid="rate-on_time_rate-numerator"]').text()).toBe('1486')
    expect(w.get('[data-testid="rate-on_time_rate-denominator"]').text()).toBe('1768')
    // The department score with its formula written under the chart.
    expect(w.get('[data-testid="department-score"]').text()).toContain('得分 = 100 × 按期答复件数 ÷ 转报件数')
    expect(w.get('[data-testid="department-市人社局-score"]').text()).toBe('31')
    // The posts with the staffing beside, a post the rota seats but that took nothing in included.
    expect(w.get('[data-testid="post-综合窗口-on_time_rate"]').text().replace(/\s+/g, '')).toBe('86.4%（950/1100）')
    expect(w.get('[data-testid="staffing-综合窗口-needed"]').text()).toBe('3')
    expect(w.get('[data-testid="staffing-综合窗口-staffed"]').text()).toBe('2')
    expect(w.get('[data-testid="staffing-综合窗口-short"]').text()).toBe('4')
    expect(w.get('[data-testid="staffing-综合窗口-why"]').text()).toBe(
      '综合窗口：社会治理服务中心 空编 2、借调出 1；当天不在：张三（借调出）',
    )
    expect(w.find('[data-testid="staffing-社保窗口-why"]').exists()).toBe(false)
    expect(w.get('[data-testid="post-不动产窗口-received"]').text()).toBe('0')
    // 好差评.
    expect(w.get('[data-testid="satisfaction-satisfied"]').text().replace(/\s+/g, '')).toBe('满意率90.0%（36/40）')
    expect(card(w, 'satisfaction-grade-1')).toBe('非常不满意 1')
    expect(card(w, 'satisfaction-overdue')).toBe('回访超期 1')
    expect(showError).not.toHaveBeenCalled()
  })

  it('opens the requests behind a figure with the same range, the figure and its group, as many as the figure', async () => {
    const late = behindRows(3, { completed_on: '2026-11-20', overdue_reason: '材料补正' })
    const { w, api, router } = await render(LEADER, {
      report_requests: (a) => (a.figure === 'late' && a.key === '综合窗口' ? late : behindRows(REPORT.overdue_now)),
    })
    await w.get('[data-testid="post-综合窗口-late"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_requests')).toEqual([{ ...RANGE, figure: 'late', dimension: 'post', key: '综合窗口' }])
    let d = drill()
    expect(d.shown).toBe(true)
    expect(d.title).toBe('综合窗口 · 超期办结：3 件')
    expect(d.rows).toHaveLength(3)
    expect(d.rows[0]!.textContent).toContain('材料补正')
    expect(d.numbers[0]!.getAttribute('href')).toBe('#/requests/DF-20261103-0001')

    // A card: the whole report's figure, no group.
    await w.get('[data-testid="figure-overdue_now"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_requests')[1]).toEqual({ ...RANGE, figure: 'overdue_now', dimension: null, key: null })
    d = drill()
    expect(d.title).toBe('当前超期：9 件')
    expect(d.rows).toHaveLength(9)

    // A request's number opens its page.
    d.numbers[1]!.click()
    await flushPromises()
    expect(router.currentRoute.value.path).toBe('/requests/DF-20261103-0002')
  })

  it('opens both numbers of a rate, a long list a page at a time with the whole count in the title', async () => {
    const { w, api } = await render(LEADER, {
      report_requests: (a) => behindRows(a.figure === 'on_time' ? 1486 : 1768),
    })
    await w.get('[data-testid="rate-on_time_rate-numerator"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_requests')).toEqual([{ ...RANGE, figure: 'on_time', dimension: null, key: null }])
    let d = drill()
    expect(d.title).toBe('按时办结：1486 件')
    expect(d.rows).toHaveLength(100)
    expect(document.querySelector('[data-testid="drill-dialog"]')!.getAttribute('data-count')).toBe('1486')

    await w.get('[data-testid="rate-on_time_rate-denominator"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_requests')[1]).toEqual({ ...RANGE, figure: 'completed', dimension: null, key: null })
    d = drill()
    expect(d.title).toBe('办结：1768 件')
  })

  it('draws the weekly trend and the bars per department and post from the report, and a bar or point opens its requests', async () => {
    const { api } = await render(LEADER, { report_requests: () => behindRows(40) })
    expect(init).toHaveBeenCalledTimes(3)
    const [trend, departments, posts] = charts.made.map((c) => c.options.at(-1) as Record<string, unknown>)
    const data = (option: Record<string, unknown> | undefined) =>
      (option!.series as { name: string; data: unknown[] }[]).map((s) => [s.name, s.data])
    expect(data(trend)).toEqual([
      ['收件', [480, 500]],
      ['办结', [450, 470]],
      ['超期办结', [50, 80]],
    ])
    expect((departments!.xAxis as { data: string[] }).data).toEqual(['市林业局', '市人社局'])
    expect(data(departments)).toEqual([['得分', [90, 31]]])
    expect(data(posts)).toEqual([['按时办结率', [86.4, 80.2]]])

    // A department's bar: the requests forwarded to it.
    charts.made[1]!.click!({ seriesIndex: 0, dataIndex: 0 })
    await flushPromises()
    expect(api.calls('report_requests').at(-1)).toEqual({ ...RANGE, figure: 'forwarded', dimension: 'department', key: '市林业局' })
    expect(drill().title).toBe('市林业局 · 转报：40 件')
    // A point of the trend: that line's figure in that week.
    charts.made[0]!.click!({ seriesIndex: 2, dataIndex: 1 })
    await flushPromises()
    expect(api.calls('report_requests').at(-1)).toEqual({ ...RANGE, figure: 'late', dimension: 'week', key: '2026-11-09' })
    // A post's bar: its on-time requests.
    charts.made[2]!.click!({ seriesIndex: 0, dataIndex: 1 })
    await flushPromises()
    expect(api.calls('report_requests').at(-1)).toEqual({ ...RANGE, figure: 'on_time', dimension: 'post', key: '社保窗口' })
  })

  it('saves the report on screen as the PDF or the workbook where the leader chooses; a cancelled dialog says nothing', async () => {
    let answer: string | null = null
    const { w, api } = await render(LEADER, { report_export: () => answer })
    await w.get('[data-testid="report-save-pdf"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_export')).toEqual([{ ...RANGE, format: 'pdf' }])
    expect(showSuccess).not.toHaveBeenCalled()
    answer = '/home/lingdao/东风镇办件绩效.xlsx'
    await w.get('[data-testid="report-save-xlsx"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_export')[1]).toEqual({ ...RANGE, format: 'xlsx' })
    expect(showSuccess).toHaveBeenCalledWith('已保存：/home/lingdao/东风镇办件绩效.xlsx')
  })

  it('lets the county choose every town at once, 全县, and breaks the figures down by town', async () => {
    const county = performanceReport({
      town: '全县',
      received: 30,
      by_town: [group('东风镇', '东风镇', { received: 20 }), group('西湖乡', '西湖乡', { received: 10 })],
    })
    const { w, api } = await render(
      COUNTY,
      {
        list_towns: () => ['东风镇', '西湖乡', '南山镇'],
        report: (a) => (a.town === null ? county : REPORT),
        report_requests: () => behindRows(10),
      },
      XIANJI,
    )
    expect(api.calls('report')).toEqual([{ ...RANGE, town: null }])
    expect(w.get('[data-testid="report-town"]').text()).toContain('全县')
    await w.get('[data-testid="town-西湖乡-received"]').trigger('click')
    await flushPromises()
    expect(api.calls('report_requests')).toEqual([{ ...RANGE, town: null, figure: 'received', dimension: 'town', key: '西湖乡' }])
    expect(drill().title).toBe('西湖乡 · 收件：10 件')
  })

  it('counts this month as the backend’s when this PC’s clock is in another month', async () => {
    vi.setSystemTime(new Date('2026-12-02T02:00:00Z'))
    const { api } = await render()
    // The first answer says today is 28 November: November is asked for instead.
    expect(api.calls('report')).toEqual([{ ...RANGE, from: '2026-12-01', to: '2026-12-02' }, RANGE])
  })

  it('shows that it is loading, and says so when nothing was taken in', async () => {
    let answer: (r: PerformanceReport) => void = () => {}
    const pending = new Promise<PerformanceReport>((resolve) => (answer = resolve))
    const { w } = await render(LEADER, { report: () => pending })
    expect(w.find('[data-testid="report"] .el-loading-mask').exists()).toBe(true)
    expect(w.find('[data-testid="figure-received"]').exists()).toBe(false)
    answer(performanceReport())
    await flushPromises()
    expect(w.get('[data-testid="report-empty"]').text()).toContain('这段时间没有收件')
    expect(w.find('[data-testid="figure-received"]').exists()).toBe(false)
  })

  it('is in the menu of the roles that view staffing only, and closed to the others', async () => {
    const menuOf = (permissions: Permission[]) => MENU.filter((m) => permissions.includes(m.needs)).map((m) => m.key)
    for (const p of [LEADER, COUNTY, ADMIN]) expect(menuOf(p)).toContain('report')
    for (const p of [CLERK, APPROVER]) expect(menuOf(p)).not.toContain('report')
    // Beside 人员编制.
    expect(menuOf(LEADER)).toEqual(['requests', 'catalog', 'staffing', 'report', 'ratings'])
    // Typed in by a clerk, the address leads home instead.
    setSessionForTests({ loaded: true, account: { username: 'chuangkou' } as Account, permissions: CLERK })
    await appRouter.push('/report')
    expect(appRouter.currentRoute.value.path).toBe('/intake')
    setSessionForTests({ loaded: true, account: LINGDAO, permissions: LEADER })
    await appRouter.push('/report')
    expect(appRouter.currentRoute.value.path).toBe('/report')
  })

  it('lists numbers without a link for an account that may not open requests', async () => {
    await render(ADMIN, { report_requests: () => behindRows(2) }, { username: 'guanli', staff_town: '东风镇' } as Account)
    document.querySelector<HTMLButtonElement>('[data-testid="figure-received"]')!.click()
    await flushPromises()
    const d = drill()
    expect(d.rows).toHaveLength(2)
    expect(document.querySelectorAll('[data-testid="drill-number"]')).toHaveLength(2)
    expect(document.querySelectorAll('a[data-testid="drill-number"]')).toHaveLength(0)
    expect(document.querySelector('[data-testid="satisfaction"]')!.textContent).not.toContain('查看评价')
  })
})
