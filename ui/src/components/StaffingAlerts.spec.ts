import { describe, expect, it } from 'vitest'
import { mount, flushPromises } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import StaffingAlerts from './StaffingAlerts.vue'
import { createAppI18n } from '../i18n'
import { townStaffing } from '../test/staffing'

describe('StaffingAlerts', () => {
  it('shows each person’s 退休类别 and flags those already past the age, not as retiring', async () => {
    const town = townStaffing({
      name: '东风镇',
      retiring_within_a_year: [
        { staff_no: 'DF0912', name: '蒙喆', unit: '司法所', birth_date: '1963-10-01', retires_on: '2023-10-01', track: '男', past: true },
        { staff_no: 'DF0911', name: '韦玥', unit: '司法所', birth_date: '1976-06-10', retires_on: '2027-03-10', track: '女职工', past: false },
      ],
    })
    const wrapper = mount(StaffingAlerts, { props: { town }, global: { plugins: [ElementPlus, createAppI18n()] } })
    await flushPromises()
    const rows = wrapper.get('[data-testid="retiring"]').findAll('tbody tr')
    expect(rows).toHaveLength(2)
    expect(rows[0].text()).toContain('2023-10-01')
    expect(rows[0].text()).toContain('已到龄，请核实')
    expect(rows[1].text()).toContain('女职工')
    expect(rows[1].text()).toContain('2027-03-10')
    expect(rows[1].text()).not.toContain('已到龄')
    expect(wrapper.findAll('[data-testid="retiring-past"]')).toHaveLength(1)
    wrapper.unmount()
  })
})
