import { describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import StaffingTable from './StaffingTable.vue'
import { createAppI18n } from '../i18n'
import type { TownStaffing } from '../api/types'
import { townStaffing, unitStaffing } from '../test/staffing'

const unit = unitStaffing

// The town's totals are deliberately NOT the sum of its units (the sums
// would be quota 18, on_roll 18, on_duty 15, vacancies 0): the table must
// show what the backend says, never add up by itself.
const town = townStaffing({
  name: '青石镇',
  quota: 40,
  on_roll: 37,
  seconded_in: 2,
  seconded_out: 4,
  on_leave: 1,
  on_duty: 33,
  vacancies: 3,
  over_quota: false,
  hall_staff: 9,
  field_staff: 21,
  vacancy_permille: 75,
  units: [
    unit({
      name: '党政综合办公室',
      kind: '行政',
      managed_by: '镇直管',
      quota: 10,
      on_roll: 8,
      seconded_in: 1,
      seconded_out: 0,
      on_leave: 1,
      on_duty: 8,
      vacancies: 2,
      hall_staff: 3,
      field_staff: 5,
      vacancy_permille: 200,
      enforcement_ok: true,
      field_officers: 2,
    }),
    unit({
      name: '财政所',
      kind: '行政',
      managed_by: '镇直管',
      quota: 4,
      on_roll: 4,
      on_duty: 4,
      field_staff: 4,
      vacancy_permille: 0,
      // No enforcement duty: the column says nothing.
      enforcement_ok: true,
      field_officers: null,
    }),
    unit({
      name: '综合行政执法队',
      kind: '事业',
      managed_by: '县派驻',
      quota: 8,
      on_roll: 10,
      seconded_in: 0,
      seconded_out: 3,
      on_leave: 0,
      on_duty: 7,
      vacancies: -2,
      over_quota: true,
      hall_staff: 0,
      field_staff: 7,
      vacancy_permille: -250,
      enforcement_ok: false,
      field_officers: 1,
    }),
  ],
})

async function render(data: TownStaffing = town) {
  const wrapper = mount(StaffingTable, {
    props: { town: data },
    global: { plugins: [ElementPlus, createAppI18n()] },
  })
  await flushPromises()
  return wrapper
}

function text(wrapper: Awaited<ReturnType<typeof render>>, testid: string): string {
  const found = wrapper.findAll(`[data-testid="${testid}"]`)
  expect(found, `exactly one element with data-testid="${testid}"`).toHaveLength(1)
  return found[0]!.text().trim()
}

describe('StaffingTable', () => {
  it('renders one row per unit and the total as the summary row below them', async () => {
    const wrapper = await render()
    const rows = wrapper.findAll('[data-testid="staffing-table"] .el-table__body tbody tr')
    expect(rows).toHaveLength(3)
    expect(rows[0]!.text()).toContain('党政综合办公室')
    expect(rows[0]!.text()).toContain('镇直管')
    expect(rows[2]!.text()).toContain('综合行政执法队')
    expect(rows[2]!.text()).toContain('县派驻')
    const footer = wrapper.findAll('[data-testid="staffing-table"] .el-table__footer tr')
    expect(footer).toHaveLength(1)
    expect(footer[0]!.text()).toContain('合计')
  })

  it('sorts the units on a numeric column and keeps the total below them', async () => {
    const wrapper = await render()
    const names = () => wrapper.findAll('[data-testid="cell-name"]').map((c) => c.text().trim())
    const header = wrapper.findAll('[data-testid="staffing-table"] .el-table__header th').find((th) => th.text().trim() === '编制')!
    await header.find('.caret-wrapper').trigger('click')
    await flushPromises()
    expect(names()).toEqual(['财政所', '综合行政执法队', '党政综合办公室'])
    await header.find('.caret-wrapper').trigger('click')
    await flushPromises()
    expect(names()).toEqual(['党政综合办公室', '综合行政执法队', '财政所'])
    expect(text(wrapper, 'total-quota')).toBe('40')
  })

  it('shows each vacancy rate as the backend computed it', async () => {
    const wrapper = await render()
    const rates = wrapper.findAll('[data-testid="cell-vacancy_rate"]').map((c) => c.text().trim())
    expect(rates).toEqual(['20.0%', '0.0%', '-25.0%'])
    expect(text(wrapper, 'total-vacancy_rate')).toBe('7.5%')
  })

  it("shows the backend's town totals, not the sum of the units", async () => {
    const wrapper = await render()
    expect(text(wrapper, 'total-name')).toBe('合计')
    expect(text(wrapper, 'total-quota')).toBe('40')
    expect(text(wrapper, 'total-on_roll')).toBe('37')
    expect(text(wrapper, 'total-seconded_in')).toBe('2')
    expect(text(wrapper, 'total-seconded_out')).toBe('4')
    expect(text(wrapper, 'total-on_leave')).toBe('1')
    expect(text(wrapper, 'total-on_duty')).toBe('33')
    expect(text(wrapper, 'total-vacancies')).toBe('3')
    expect(text(wrapper, 'total-hall_staff')).toBe('9')
    expect(text(wrapper, 'total-field_staff')).toBe('21')
  })

  it('shows a unit over its quota as 超编 in red', async () => {
    const wrapper = await render()
    const vacancies = wrapper.findAll('[data-testid="cell-vacancies"]')
    expect(vacancies.map((c) => c.text().trim())).toEqual(['2', '0', '超编 2'])
    expect(vacancies[2]!.classes()).toContain('over-quota')
    expect(vacancies[2]!.attributes('data-value')).toBe('-2')
    expect(vacancies[0]!.classes()).not.toContain('over-quota')
  })

  it('shows a town total over quota as 超编 too', async () => {
    const wrapper = await render({ ...town, vacancies: -5, over_quota: true })
    expect(text(wrapper, 'total-vacancies')).toBe('超编 5')
  })

  it('flags a unit with fewer than two enforcement officers', async () => {
    const wrapper = await render()
    const cells = wrapper.findAll('[data-testid="cell-enforcement"]')
    // 财政所 has no enforcement duty: nothing is said for it.
    expect(cells.map((c) => c.text().trim())).toEqual(['正常', '不足两人'])
    expect(cells[1]!.classes()).toContain('el-tag--danger')
    // Enforcement is judged per unit: the total row says nothing about it.
    expect(wrapper.findAll('[data-testid="total-enforcement"]')).toHaveLength(0)
  })

  it('still shows the total row for a town without units', async () => {
    const wrapper = await render({ ...town, units: [] })
    expect(wrapper.findAll('.el-table__footer tr')).toHaveLength(1)
    expect(text(wrapper, 'total-quota')).toBe('40')
  })

  it("emits the unit's name when its name is clicked, and nothing for the total", async () => {
    const wrapper = await render()
    const names = wrapper.findAll('[data-testid="cell-name"]')
    await names[2]!.trigger('click')
    expect(wrapper.emitted('unit')).toEqual([['综合行政执法队']])
    await wrapper.get('[data-testid="total-name"]').trigger('click')
    expect(wrapper.emitted('unit')).toHaveLength(1)
  })
})
