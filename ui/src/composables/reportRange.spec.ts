import { describe, expect, it } from 'vitest'
import { beijingToday, fromDate, rangeOf, toDate } from './reportRange'

describe('reportRange', () => {
  it('gives this week from Monday, this month and this year up to today, and the whole of last month', () => {
    // 2026-11-28 is a Saturday.
    expect(rangeOf('week', '2026-11-28')).toEqual(['2026-11-23', '2026-11-28'])
    expect(rangeOf('week', '2026-11-23')).toEqual(['2026-11-23', '2026-11-23'])
    expect(rangeOf('week', '2026-11-29')).toEqual(['2026-11-23', '2026-11-29'])
    expect(rangeOf('month', '2026-11-28')).toEqual(['2026-11-01', '2026-11-28'])
    expect(rangeOf('lastMonth', '2026-11-28')).toEqual(['2026-10-01', '2026-10-31'])
    expect(rangeOf('lastMonth', '2026-03-31')).toEqual(['2026-02-01', '2026-02-28'])
    expect(rangeOf('lastMonth', '2027-01-05')).toEqual(['2026-12-01', '2026-12-31'])
    expect(rangeOf('year', '2026-11-28')).toEqual(['2026-01-01', '2026-11-28'])
  })

  it('reads today in Beijing whatever the PC’s zone, and turns days into dates and back', () => {
    // 17:00 UTC on 30 November is 01:00 on 1 December in Beijing.
    expect(beijingToday(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12-01')
    expect(beijingToday(new Date('2026-12-31T15:59:00Z'))).toBe('2026-12-31')
    expect(beijingToday(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01')
    expect(fromDate(toDate('2026-02-28'))).toBe('2026-02-28')
  })
})
