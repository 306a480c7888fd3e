import { describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import DemandPanel from './DemandPanel.vue'
import { createAppI18n } from '../i18n'
import type { DemandReport } from '../api/types'

function report(open: boolean, measured = false): DemandReport {
  const hours = [9, 17].map((hour) => ({
    hour,
    arrivals_per_hour: 8.5,
    needed: 3,
    staffed: 0,
    gap: open ? 3 : 0,
    wait_p50_s: measured ? 1260 : null,
  }))
  return {
    town: '青石镇',
    on: open ? '2026-11-27' : '2026-11-28',
    from: '2026-10-31',
    to: '2026-11-27',
    working_days: 20,
    target_wait_s: 900,
    service_level: 0.8,
    open,
    measured,
    posts: [{ post: '综合窗口', handling_min: 13, handling_estimated: true, hours, short: [] }],
    totals: hours,
  }
}

async function render(r: DemandReport) {
  const wrapper = mount(DemandPanel, { props: { report: r }, global: { plugins: [ElementPlus, createAppI18n()] } })
  await flushPromises()
  return wrapper
}

describe('DemandPanel', () => {
  it('with tickets, says the figures are measured and shows the wait residents had', async () => {
    const wrapper = await render(report(true, true))
    expect(wrapper.get('[data-testid="demand-basis"]').text()).toContain('排队取号实测')
    expect(wrapper.get('[data-testid="demand-综合窗口-9"]').text()).toContain('实际等候约 21 分钟')
    const estimated = await render(report(true))
    expect(estimated.get('[data-testid="demand-basis"]').text()).toContain('办件记录估算')
    expect(estimated.find('[data-testid="demand-wait"]').exists()).toBe(false)
    wrapper.unmount()
    estimated.unmount()
  })

  it('says why a short post is short: the unit’s vacancies, secondments and who is away', async () => {
    const r = report(true)
    r.posts[0]!.short = [
      { unit: '社会治理服务中心', vacancies: 6, seconded_out: 1, on_leave: 0, away: ['谢喆赟（借调出）'] },
      { unit: '国土所', vacancies: 2, seconded_out: 0, on_leave: 1, away: [] },
    ]
    const wrapper = await render(r)
    expect(wrapper.get('[data-testid="demand-why-综合窗口"]').text()).toBe(
      '综合窗口：社会治理服务中心 空编 6、借调出 1；今天不在：谢喆赟（借调出）；国土所 空编 2、长期请假 1',
    )
    // Nothing to explain without a shortage, or on a closed day.
    const none = await render(report(true))
    expect(none.find('[data-testid="demand-why"]').exists()).toBe(false)
    const closed = report(false)
    closed.posts[0]!.short = r.posts[0]!.short
    const shut = await render(closed)
    expect(shut.find('[data-testid="demand-why"]').exists()).toBe(false)
    wrapper.unmount()
    none.unmount()
    shut.unmount()
  })

  it('on a closed day says the hall is closed and flags no gap', async () => {
    const wrapper = await render(report(false))
    expect(wrapper.get('[data-testid="demand-closed"]').text()).toContain('2026-11-28 是休息日，大厅不开放')
    expect(wrapper.find('[data-testid="demand-short"]').exists()).toBe(false)
    const cell = wrapper.get('[data-testid="demand-综合窗口-9"]')
    expect(cell.text()).toContain('工作日需 3')
    expect(cell.text()).not.toContain('排')
    expect(wrapper.findAll('.gap-short')).toHaveLength(0)
    wrapper.unmount()
  })

  it('on a working day compares with the rota, and the last hour ends at 17:30', async () => {
    const wrapper = await render(report(true))
    expect(wrapper.find('[data-testid="demand-closed"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="demand-short"]').text()).toContain('2 个时段')
    expect(wrapper.get('[data-testid="demand-综合窗口-9"]').text()).toContain('需 3 / 排 0')
    const headers = wrapper.findAll('th').map((th) => th.text())
    expect(headers).toContain('9:00–10:00')
    expect(headers).toContain('17:00–17:30')
    wrapper.unmount()
  })
})
