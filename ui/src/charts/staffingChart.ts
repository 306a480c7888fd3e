// The 编制总览 bar chart: quota, on roll and on duty per unit, as one ECharts
// option built from the backend's figures. Kept apart from the component so
// that what the chart shows can be tested without a canvas.
import type { BarSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { TownStaffing } from '../api/types'

export type StaffingChartOption = ComposeOption<
  BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>

/** The figures drawn, in legend order. */
export const SERIES = ['quota', 'on_roll', 'on_duty'] as const
export type SeriesField = (typeof SERIES)[number]

// Element Plus's info grey, primary blue and success green: quota is the
// frame, on duty the people actually there.
const COLORS: Record<SeriesField, string> = {
  quota: '#909399',
  on_roll: '#409eff',
  on_duty: '#67c23a',
}

/**
 * The chart of a town's units. `names` gives the legend's words for the three
 * figures. Units over quota get their name in red; units left without an
 * enforcement pair are marked with "⚠".
 */
export function staffingChartOption(town: TownStaffing, names: Record<SeriesField, string>): StaffingChartOption {
  const units = town.units
  const labels = units.map((u) => (u.enforcement_ok ? u.name : `⚠ ${u.name}`))
  return {
    animation: false,
    color: SERIES.map((f) => COLORS[f]),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: SERIES.map((f) => names[f]) },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: {
        interval: 0,
        rotate: units.length > 6 ? 30 : 0,
        color: (_value?: string | number, index?: number) =>
          index !== undefined && units[index]?.over_quota ? '#f56c6c' : '#606266',
      },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: SERIES.map((f) => ({
      name: names[f],
      type: 'bar' as const,
      barMaxWidth: 28,
      data: units.map((u) => u[f]),
    })),
  }
}
