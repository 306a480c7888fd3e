import { describe, expect, it } from 'vitest'
import { staffingChartOption } from './staffingChart'
import { townStaffing, unitStaffing } from '../test/staffing'

const names = { quota: '编制', on_roll: '在编', on_duty: '在岗' }

const town = townStaffing({
  name: '东风镇',
  units: [
    unitStaffing({ name: '综合办公室', quota: 12, on_roll: 9, on_duty: 8 }),
    unitStaffing({ name: '林业站', quota: 4, on_roll: 2, on_duty: 2, enforcement_ok: false, field_officers: 1 }),
    unitStaffing({ name: '财政所', quota: 3, on_roll: 5, on_duty: 5, vacancies: -2, over_quota: true }),
  ],
})

describe('staffingChartOption', () => {
  it('draws quota, on roll and on duty per unit from the figures given', () => {
    const option = staffingChartOption(town, names)
    const series = option.series as { name: string; data: number[] }[]
    expect(series.map((s) => s.name)).toEqual(['编制', '在编', '在岗'])
    expect(series[0]!.data).toEqual([12, 4, 3])
    expect(series[1]!.data).toEqual([9, 2, 5])
    expect(series[2]!.data).toEqual([8, 2, 5])
  })

  it('marks a unit without an enforcement pair and colours a unit over quota', () => {
    const option = staffingChartOption(town, names)
    const axis = option.xAxis as { data: string[]; axisLabel: { color: (v: string, i: number) => string } }
    expect(axis.data).toEqual(['综合办公室', '⚠ 林业站', '财政所'])
    expect(axis.axisLabel.color('财政所', 2)).toBe('#f56c6c')
    expect(axis.axisLabel.color('综合办公室', 0)).not.toBe('#f56c6c')
  })
})
