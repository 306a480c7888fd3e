import { describe, expect, it } from 'vitest'
import {
  departmentClick,
  departmentOption,
  percent,
  postClick,
  postOption,
  trendClick,
  trendOption,
} from './reportCharts'
import { department, group, rate } from '../test/report'

const weeks = [
  group('2026-11-02', '2026-11-02 起一周', { received: 40, completed: 31, on_time: 28, late: 3 }),
  group('2026-11-09', '2026-11-09 起一周', { received: 52, completed: 44, on_time: 44, late: 0 }),
]
const names = { received: '收件', completed: '办结', late: '超期办结' }

describe('reportCharts', () => {
  it('draws received, completed and late per week, and a point opens that figure of that week', () => {
    const option = trendOption(weeks, names)
    const series = option.series as { name: string; type: string; data: number[] }[]
    expect(series.map((s) => [s.name, s.type])).toEqual([
      ['收件', 'line'],
      ['办结', 'line'],
      ['超期办结', 'line'],
    ])
    expect(series.map((s) => s.data)).toEqual([
      [40, 52],
      [31, 44],
      [3, 0],
    ])
    expect((option.xAxis as { data: string[] }).data).toEqual(['11-02 起', '11-09 起'])
    expect(trendClick(weeks, 2, 0)).toEqual({ figure: 'late', dimension: 'week', key: '2026-11-02' })
    expect(trendClick(weeks, 0, 1)).toEqual({ figure: 'received', dimension: 'week', key: '2026-11-09' })
    expect(trendClick(weeks, 3, 0)).toBeNull()
  })

  it('draws each department’s score and a bar opens the requests forwarded to it', () => {
    const departments = [
      department({ department: '市林业局', forwarded: 4, score: 100 }),
      department({ department: '市人社局', forwarded: 2, score: 45 }),
    ]
    const option = departmentOption(departments, '得分')
    expect((option.xAxis as { data: string[] }).data).toEqual(['市林业局', '市人社局'])
    expect((option.series as { data: number[] }[])[0]!.data).toEqual([100, 45])
    expect(departmentClick(departments, 1)).toEqual({ figure: 'forwarded', dimension: 'department', key: '市人社局' })
  })

  it('draws each post’s on-time rate in per cent, none where nothing was completed, and a bar opens its on-time requests', () => {
    const posts = [
      group('综合窗口', '综合窗口', { completed: 8, on_time: 6 }),
      group('社保窗口', '社保窗口', { received: 2 }),
    ]
    const option = postOption(posts, '按时办结率')
    expect((option.series as { data: (number | null)[] }[])[0]!.data).toEqual([75, null])
    const tooltip = option.tooltip as { formatter: (p: unknown) => string }
    expect(tooltip.formatter({ dataIndex: 0 })).toContain('75.0%（6/8）')
    expect(postClick(posts, 0)).toEqual({ figure: 'on_time', dimension: 'post', key: '综合窗口' })
  })

  it('writes a rate in per cent with one decimal, and — over nothing', () => {
    expect(percent(rate(1486, 1768))).toBe('84.0%')
    expect(percent(rate(2, 3))).toBe('66.7%')
    expect(percent(rate(0, 0))).toBe('—')
  })
})
