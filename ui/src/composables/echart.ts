import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { init, type ECharts } from 'echarts/core'

/** Where a click on a chart landed: the series and the point or bar within it. */
export interface ChartClick {
  seriesIndex?: number
  dataIndex: number
}

/**
 * An ECharts chart on `el` for the component's life: made on mount and drawn by `draw`, clicks
 * handed to `onClick`, resized with its box, disposed on unmount. Returns `redraw`, which draws
 * again once the chart exists (for a watcher of the figures).
 */
export function useEChart(
  el: Ref<HTMLDivElement | null>,
  draw: (chart: ECharts) => void,
  onClick: (click: ChartClick) => void,
): () => void {
  let chart: ECharts | null = null
  let observer: ResizeObserver | null = null
  const redraw = (): void => {
    if (chart) draw(chart)
  }
  onMounted(() => {
    if (!el.value) return
    chart = init(el.value, undefined, { renderer: 'canvas' })
    chart.on('click', (params) => {
      if (typeof params.dataIndex === 'number') onClick({ seriesIndex: params.seriesIndex, dataIndex: params.dataIndex })
    })
    redraw()
    if (typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart?.resize())
      observer.observe(el.value)
    }
  })
  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })
  return redraw
}
