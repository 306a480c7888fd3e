// The 办件绩效 charts as ECharts options built from the report's figures, and what a click on a
// point or bar asks for: the figure it draws, within its group. Kept apart from the component so
// that what the charts show, and what each click opens, can be tested without a canvas.
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { DepartmentFigures, Figure, GroupFigures, Rate } from '../api/types'
import type { FigureAsk } from '../api/report'

export type ReportChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

/** A rate as the report writes it: 84.0%, or — over nothing. */
export function percent(rate: Rate): string {
  return rate.permille === null ? '—' : `${(rate.permille / 10).toFixed(1)}%`
}

/** The weekly trend's lines, in legend order: each a figure of the week. */
export const TREND: readonly Figure[] = ['received', 'completed', 'late']

// Element Plus's primary blue, success green and danger red.
const TREND_COLORS = ['#409eff', '#67c23a', '#f56c6c']

/** The week's Monday as the axis names it: 11-02 起. */
function weekLabel(monday: string): string {
  return `${monday.slice(5)} 起`
}

/** Received, completed and completed late per week taken in; `names` are the figures' words. */
export function trendOption(weeks: GroupFigures[], names: Record<string, string>): ReportChartOption {
  return {
    animation: false,
    color: TREND_COLORS,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: TREND.map((f) => names[f] ?? f) },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', boundaryGap: false, data: weeks.map((w) => weekLabel(w.key)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: TREND.map((f) => ({
      name: names[f] ?? f,
      type: 'line' as const,
      symbolSize: 8,
      // A point is clicked for the requests it counts.
      triggerLineEvent: true,
      data: weeks.map((w) => w[f]),
    })),
  }
}

/** A point of the trend: that line's figure in that week. */
export function trendClick(weeks: GroupFigures[], seriesIndex: number, dataIndex: number): FigureAsk | null {
  const figure = TREND[seriesIndex]
  const week = weeks[dataIndex]
  return figure && week ? { figure, dimension: 'week', key: week.key } : null
}

/** Each department's score (0–100), in the report's order, best first. */
export function departmentOption(departments: DepartmentFigures[], name: string): ReportChartOption {
  return {
    animation: false,
    color: ['#409eff'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: departments.map((d) => d.department),
      axisLabel: { interval: 0, rotate: departments.length > 5 ? 30 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100 },
    series: [
      {
        name,
        type: 'bar' as const,
        barMaxWidth: 36,
        label: { show: true, position: 'top' },
        data: departments.map((d) => d.score),
      },
    ],
  }
}

/** A department's bar: the requests forwarded to it, which its score is worked out over. */
export function departmentClick(departments: DepartmentFigures[], dataIndex: number): FigureAsk | null {
  const d = departments[dataIndex]
  return d ? { figure: 'forwarded', dimension: 'department', key: d.department } : null
}

/** Each post's on-time rate in per cent (none where nothing was completed), both numbers in the tooltip. */
export function postOption(posts: GroupFigures[], name: string): ReportChartOption {
  return {
    animation: false,
    color: ['#67c23a'],
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const i = (p as { dataIndex: number }).dataIndex
        const g = posts[i]
        return g ? `${g.name}<br/>${name} ${percent(g.on_time_rate)}（${g.on_time_rate.numerator}/${g.on_time_rate.denominator}）` : ''
      },
    },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: posts.map((g) => g.name),
      axisLabel: { interval: 0, rotate: posts.length > 5 ? 30 : 0 },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        name,
        type: 'bar' as const,
        barMaxWidth: 36,
        label: { show: true, position: 'top', formatter: (p: unknown) => percent(posts[(p as { dataIndex: number }).dataIndex]!.on_time_rate) },
        data: posts.map((g) => (g.on_time_rate.permille === null ? null : g.on_time_rate.permille / 10)),
      },
    ],
  }
}

/** A post's bar: the requests it completed on time, the rate's numerator. */
export function postClick(posts: GroupFigures[], dataIndex: number): FigureAsk | null {
  const g = posts[dataIndex]
  return g ? { figure: 'on_time', dimension: 'post', key: g.key } : null
}
