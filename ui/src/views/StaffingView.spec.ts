import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createAppI18n } from '../i18n'
import type { StaffingReport } from '../api/types'

vi.mock('../api/staffing', () => ({ listTowns: vi.fn(), staffing: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { listTowns, staffing } from '../api/staffing'
import { showError } from '../api/notify'
import { BackendError } from '../api/invoke'
import { resetTownForTests, useTown } from '../composables/town'
import StaffingView from './StaffingView.vue'

const report: StaffingReport = {
  date: '2025-03-01',
  towns: [
    {
      name: '青石镇',
      quota: 40,
      on_roll: 42,
      seconded_in: 0,
      seconded_out: 0,
      on_leave: 0,
      on_duty: 39,
      vacancies: -2,
      over_quota: true,
      hall_staff: 8,
      field_staff: 20,
      units: [],
    },
  ],
}

async function render() {
  const wrapper = mount(StaffingView, {
    global: { plugins: [ElementPlus, createAppI18n()] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  // The chosen town is shared app-wide; each test starts as the app does.
  resetTownForTests()
  vi.mocked(listTowns).mockReset()
  vi.mocked(staffing).mockReset()
  vi.mocked(showError).mockReset()
})

describe('StaffingView', () => {
  it('preselects the first town, asks for today and shows its headline', async () => {
    vi.mocked(listTowns).mockResolvedValue(['青石镇', '白水乡'])
    vi.mocked(staffing).mockResolvedValue(report)
    const wrapper = await render()

    expect(staffing).toHaveBeenCalledTimes(1)
    expect(staffing).toHaveBeenCalledWith('青石镇', null)
    expect(wrapper.get('[data-testid="headline-quota"]').text()).toBe('40')
    expect(wrapper.get('[data-testid="headline-on_roll"]').text()).toBe('42')
    expect(wrapper.get('[data-testid="headline-on_duty"]').text()).toBe('39')
    expect(wrapper.get('[data-testid="headline-vacancies"]').text()).toBe('超编 2')
    expect(wrapper.get('[data-testid="report-date"]').text()).toContain('2025-03-01')
    expect(wrapper.find('[data-testid="staffing-table"]').exists()).toBe(true)
    // Keyboard first: the clerk can start typing a town name straight away.
    const select = wrapper.get('[data-testid="town-select"]').element
    expect(select.contains(document.activeElement)).toBe(true)
    wrapper.unmount()
  })

  it('hands a failed call to the error notice', async () => {
    const error = new BackendError('db_unavailable', '数据库暂时无法打开')
    vi.mocked(listTowns).mockResolvedValue(['青石镇'])
    vi.mocked(staffing).mockRejectedValue(error)
    const wrapper = await render()

    expect(showError).toHaveBeenCalledWith(error)
    expect(wrapper.find('[data-testid="staffing-table"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="staffing-empty"]').text()).toContain('未能取得编制数据')
    wrapper.unmount()
  })

  it('shows the town already chosen on another screen without asking for the list again', async () => {
    vi.mocked(listTowns).mockResolvedValue(['青石镇', '白水乡'])
    vi.mocked(staffing).mockResolvedValue({ ...report, towns: [{ ...report.towns[0]!, name: '白水乡' }] })
    const shared = useTown()
    await shared.ready
    shared.town.value = '白水乡'

    const wrapper = await render()
    expect(listTowns).toHaveBeenCalledTimes(1)
    expect(staffing).toHaveBeenCalledTimes(1)
    expect(staffing).toHaveBeenCalledWith('白水乡', null)
    expect(wrapper.get('[data-testid="headline-quota"]').text()).toBe('40')
    wrapper.unmount()
  })
})
