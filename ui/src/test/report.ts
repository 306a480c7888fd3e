// 办件绩效 answers shaped like the backend's, for chart and view tests.
import type { BehindRow, DepartmentFigures, Figure, GroupFigures, NamedRate, PerformanceReport, Rate } from '../api/types'

/** Every figure's count (the core's `Counts`, flattened into the answers that carry it). */
export type Counts = Pick<GroupFigures, Figure>

/** Every figure nought unless given. */
export function counts(over: Partial<Counts> = {}): Counts {
  return {
    received: 0,
    consulted: 0,
    accepted: 0,
    completed: 0,
    on_time: 0,
    early: 0,
    late: 0,
    on_the_spot: 0,
    refused: 0,
    forwarded: 0,
    answered: 0,
    open: 0,
    overdue_now: 0,
    ...over,
  }
}

/** A rate as the core works it out: tenths of a per cent, rounded half up; none over nothing. */
export function rate(numerator: number, denominator: number): Rate {
  return {
    numerator,
    denominator,
    permille: denominator > 0 ? Math.floor((numerator * 2000 + denominator) / (2 * denominator)) : null,
  }
}

/** A group's figures, its on-time rate from its counts. */
export function group(key: string, name: string, over: Partial<Counts> = {}): GroupFigures {
  const c = counts(over)
  return { key, name, ...c, on_time_rate: rate(c.on_time, c.completed) }
}

export function department(over: Partial<DepartmentFigures> & { department: string }): DepartmentFigures {
  return {
    forwarded: 0,
    answered: 0,
    answered_on_time: 0,
    median_days: null,
    p90_days: null,
    overdue_now: 0,
    score: 0,
    ...over,
  }
}

/** The four rates of the core (domain/report.rs, RATES) over `c`. */
export function rates(c: Counts): NamedRate[] {
  const named = (key: string, label: string, n: keyof Counts): NamedRate => ({
    key,
    label,
    numerator_figure: n,
    denominator_figure: 'completed',
    ...rate(c[n], c.completed),
  })
  return [
    named('early_rate', '提前办结率', 'early'),
    named('on_time_rate', '按时办结率', 'on_time'),
    named('late_rate', '超期办结率', 'late'),
    named('on_the_spot_rate', '即办件率', 'on_the_spot'),
  ]
}

/** A report with nothing in it unless given (rates follow the counts given). */
export function performanceReport(over: Partial<PerformanceReport> = {}): PerformanceReport {
  const c = counts(over)
  return {
    town: '东风镇',
    from: '2026-11-01',
    to: '2026-11-28',
    today: '2026-11-28',
    ...c,
    rates: rates(c),
    overdue: [],
    by_department: [],
    department_score: '得分 = 100 × 按期答复件数 ÷ 转报件数 − 5 × 当前超期件数（最低 0 分；未答复且未超期的不扣分）',
    by_post: [],
    by_clerk: [],
    by_item: [],
    by_week: [],
    by_town: [],
    post_staffing: [],
    satisfaction: {
      ratings: 0,
      grades: [
        [5, '非常满意', 0],
        [4, '满意', 0],
        [3, '基本满意', 0],
        [2, '不满意', 0],
        [1, '非常不满意', 0],
      ],
      satisfied: rate(0, 0),
      followups: 0,
      followups_closed_on_time: rate(0, 0),
      followups_overdue_now: 0,
    },
    ...over,
  }
}

/** `n` requests as report_requests lists them. */
export function behindRows(n: number, over: Partial<BehindRow> = {}): BehindRow[] {
  return Array.from({ length: n }, (_, i) => ({
    number: `DF-20261103-${String(i + 1).padStart(4, '0')}`,
    item_name: '临时救助',
    post: '综合窗口',
    clerk: '谢喆赟（DF0013）',
    received_on: '2026-11-03',
    due: '2026-11-10',
    completed_on: null,
    department: null,
    overdue_reason: null,
    ...over,
  }))
}
