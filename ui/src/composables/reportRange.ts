// The report's ranges of days, as 'YYYY-MM-DD' text: this week, this month, last month, this
// year, each ending on today at the latest (the staffing beside the report is counted on the
// range's last day, and a day not yet come holds nothing). Today is the backend's: the report's
// answer says which day it counted on; until the first answer, today in Beijing by this PC's clock.

export type RangeKey = 'week' | 'month' | 'lastMonth' | 'year'
export const RANGE_KEYS: readonly RangeKey[] = ['week', 'month', 'lastMonth', 'year']

function parts(day: string): [number, number, number] {
  const [y, m, d] = day.split('-').map(Number)
  return [y!, m!, d!]
}

function text(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** A day as a local Date at midnight (what the date picker holds), and back. */
export function toDate(day: string): Date {
  const [y, m, d] = parts(day)
  return new Date(y, m - 1, d)
}
export function fromDate(date: Date): string {
  return text(date.getFullYear(), date.getMonth() + 1, date.getDate())
}

/** Today in Beijing by this PC's clock: China Standard Time is UTC+8 all year. Counted by hand,
 *  not with Intl's locale formats, which the app's WebKit does not always have (en-CA fell back
 *  to M/D/YYYY there and the report asked for the day “0NaN-undefined-01”). */
export function beijingToday(now: Date = new Date()): string {
  const beijing = new Date(now.getTime() + 8 * 3600 * 1000)
  return text(beijing.getUTCFullYear(), beijing.getUTCMonth() + 1, beijing.getUTCDate())
}

/** The first and last day of a range of `key` holding `today`, the last no later than today. */
export function rangeOf(key: RangeKey, today: string): [string, string] {
  const [y, m, d] = parts(today)
  switch (key) {
    case 'week': {
      const date = new Date(y, m - 1, d)
      // Monday first: getDay() is 0 on Sunday.
      date.setDate(date.getDate() - ((date.getDay() + 6) % 7))
      return [fromDate(date), today]
    }
    case 'month':
      return [text(y, m, 1), today]
    case 'lastMonth': {
      const first = new Date(y, m - 2, 1)
      const last = new Date(y, m - 1, 0)
      return [fromDate(first), fromDate(last)]
    }
    case 'year':
      return [text(y, 1, 1), today]
  }
}
