import { call } from './invoke'
import type { BehindRow, Figure, PerformanceReport } from './types'

/** A group of the report a figure may be narrowed to: a department, post, clerk, item, week or town. */
export type Dimension = 'department' | 'post' | 'clerk' | 'item' | 'week' | 'town'

/** Which requests the report counts: taken in from `from` to `to` (YYYY-MM-DD) in `town`, or every town when null. */
export interface ReportRange {
  town: string | null
  from: string
  to: string
}

/** A figure of the report, within one group when `dimension` and `key` are given. */
export interface FigureAsk {
  figure: Figure
  dimension: Dimension | null
  key: string | null
}

/** A figure the leader clicked: what it counts, in which group, and the words for both. */
export interface Drill extends FigureAsk {
  /** The figure's name: 按时办结. */
  label: string
  /** The group's name (综合窗口, 2026-11-02 起一周), or null for the whole report. */
  group: string | null
}

/** 办件绩效报表 over the range. */
export function report(range: ReportRange): Promise<PerformanceReport> {
  return call<PerformanceReport>('report', { town: range.town, from: range.from, to: range.to })
}

/** The requests a figure counts (as many as the figure says), by the backend's one rule. */
export function reportRequests(range: ReportRange, ask: FigureAsk): Promise<BehindRow[]> {
  return call<BehindRow[]>('report_requests', {
    town: range.town,
    from: range.from,
    to: range.to,
    figure: ask.figure,
    dimension: ask.dimension,
    key: ask.key,
  })
}

/** Which file the report is saved as: the A4 PDF to print, or the workbook. */
export type ReportFormat = 'pdf' | 'xlsx'

/** Saves the report of the range as `format` where the leader chooses: the path, or null when cancelled. */
export function reportExport(range: ReportRange, format: ReportFormat): Promise<string | null> {
  return call<string | null>('report_export', { town: range.town, from: range.from, to: range.to, format })
}
