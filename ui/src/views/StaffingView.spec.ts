import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createAppI18n } from '../i18n'
import type { StaffingReport } from '../api/types'

vi.mock('../api/staffing', () => ({
  listTowns: vi.fn(),
  staffing: vi.fn(),
  unitPeople: vi.fn(),
  rotaWeek: vi.fn(),
  staffingDemand: vi.fn(),
  staffingExportXlsx: vi.fn(),
}))
vi.mock('../api/notify', () => ({ showError: vi.fn(), showSuccess: vi.fn() }))

import { listTowns, rotaWeek, staffing, staffingDemand, staffingExportXlsx, unitPeople } from '../api/staffing'
import { showError, showSuccess } from '../api/notify'
import { townStaffing, unitStaffing } from '../test/staffing'
import { BackendError } from '../api/invoke'
import { resetTownForTests, useTown } from '../composables/town'
import StaffingView from './StaffingView.vue'

const report: StaffingReport = {
  date: '2025-03-01',
  towns: [
    townStaffing({
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
      units: [unitStaffing({ name: '林业站', quota: 4, on_roll: 2, on_duty: 2, enforcement_ok: false, field_officers: 1 })],
    }),
  ],
}

async function render() {
  const wrapper = mount(StaffingView, {
    // No canvas in jsdom: the ECharts chart is tested through its option.
    global: { plugins: [ElementPlus, createAppI18n()], stubs: { StaffingChart: true } },
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
  vi.mocked(showSuccess).mockReset()
  for (const f of [unitPeople, rotaWeek, staffingDemand, staffingExportXlsx]) vi.mocked(f).mockReset()
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

  it('opens a unit\'s people from the table for the date shown', async () => {
    vi.mocked(listTowns).mockResolvedValue(['青石镇'])
    vi.mocked(staffing).mockResolvedValue(report)
    vi.mocked(unitPeople).mockResolvedValue([
      {
        no: 'QS0001',
        name: '罗敏',
        gender: '女',
        status: 'seconded_out',
        status_label: '借调出',
        other_body: '县林业局',
        in_hall: false,
        posts: [],
        credentials: [],
        retires_on: null,
      },
    ])
    const wrapper = await render()
    await wrapper.get('[data-testid="cell-name"]').trigger('click')
    await flushPromises()
    expect(unitPeople).toHaveBeenCalledWith('青石镇', '林业站', '2025-03-01')
    const drawer = document.querySelector('[data-testid="unit-people-table"]')
    expect(drawer?.textContent).toContain('罗敏')
    expect(drawer?.textContent).toContain('借调出')
    expect(drawer?.textContent).toContain('县林业局')
    wrapper.unmount()
  })

  it('flags the unit without an enforcement pair among the alerts', async () => {
    vi.mocked(listTowns).mockResolvedValue(['青石镇'])
    vi.mocked(staffing).mockResolvedValue(report)
    const wrapper = await render()
    expect(wrapper.get('[data-testid="alert-enforcement-林业站"]').text()).toContain('只有 1 人')
    wrapper.unmount()
  })

  it('fetches the rota and the demand only when their tab is opened', async () => {
    vi.mocked(listTowns).mockResolvedValue(['青石镇'])
    vi.mocked(staffing).mockResolvedValue(report)
    vi.mocked(rotaWeek).mockResolvedValue({
      monday: '2025-02-24',
      days: ['2025-02-24', '2025-02-25', '2025-02-26', '2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02'],
      posts: [
        {
          post: '综合受理窗口',
          days: [[{ staff_no: 'QS0002', name: '王芳', unit: '党政办' }], [], [], [], [], [], []],
        },
      ],
    })
    vi.mocked(staffingDemand).mockResolvedValue({
      town: '青石镇',
      on: '2025-03-01',
      from: '2025-02-01',
      to: '2025-02-28',
      working_days: 20,
      target_wait_s: 900,
      service_level: 0.8,
      posts: [
        {
          post: '综合受理窗口',
          handling_min: 12,
          handling_estimated: true,
          hours: [{ hour: 9, arrivals_per_hour: 9.5, needed: 3, staffed: 1, gap: 2, wait_p50_s: null }],
          short: [],
        },
      ],
      // The hall's total as the backend added it up (deliberately not this one post's row).
      open: true,
      measured: false,
      totals: [{ hour: 9, arrivals_per_hour: 11.5, needed: 4, staffed: 2, gap: 2, wait_p50_s: null }],
    })
    const wrapper = await render()
    expect(rotaWeek).not.toHaveBeenCalled()
    expect(staffingDemand).not.toHaveBeenCalled()

    await wrapper.get('#tab-rota').trigger('click')
    await flushPromises()
    expect(rotaWeek).toHaveBeenCalledWith('青石镇', null)
    expect(wrapper.get('[data-testid="rota-grid"]').text()).toContain('王芳')

    await wrapper.get('#tab-demand').trigger('click')
    await flushPromises()
    expect(staffingDemand).toHaveBeenCalledWith('青石镇', null)
    const cell = wrapper.get('[data-testid="demand-综合受理窗口-9"]')
    expect(cell.text()).toContain('需 3 / 排 1')
    expect(cell.attributes('data-gap')).toBe('2')
    expect(cell.classes()).toContain('gap-short')
    expect(wrapper.get('[data-testid="demand-short"]').text()).toContain('1 个时段')
    // The hall's row shows the backend's totals, and is not counted as a short post.
    const total = wrapper.get('[data-testid="demand-total-9"]')
    expect(total.text()).toContain('需 4 / 排 2')
    expect(total.text()).toContain('11.5')
    wrapper.unmount()
  })

  it('exports the figures shown as xlsx and says where they went', async () => {
    vi.mocked(listTowns).mockResolvedValue(['青石镇'])
    vi.mocked(staffing).mockResolvedValue(report)
    vi.mocked(staffingExportXlsx).mockResolvedValueOnce('/tmp/青石镇.xlsx').mockResolvedValueOnce(null)
    const wrapper = await render()
    await wrapper.get('[data-testid="staffing-export"]').trigger('click')
    await flushPromises()
    expect(staffingExportXlsx).toHaveBeenCalledWith('青石镇', '2025-03-01')
    expect(showSuccess).toHaveBeenCalledWith('已导出：/tmp/青石镇.xlsx')
    // A cancelled save dialog says nothing.
    await wrapper.get('[data-testid="staffing-export"]').trigger('click')
    await flushPromises()
    expect(showSuccess).toHaveBeenCalledTimes(1)
    wrapper.unmount()
  })
})
