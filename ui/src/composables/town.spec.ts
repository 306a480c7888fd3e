import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'

vi.mock('../api/staffing', () => ({ listTowns: vi.fn(), staffing: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { listTowns } from '../api/staffing'
import { showError } from '../api/notify'
import { BackendError } from '../api/invoke'
import { resetTownForTests, useTown } from './town'
import { setSessionForTests } from './session'
import { nextTick } from 'vue'

beforeEach(() => {
  resetTownForTests()
  vi.mocked(listTowns).mockReset()
  vi.mocked(showError).mockReset()
})

describe('useTown', () => {
  it('fetches the towns once and shares one choice, the first town by default', async () => {
    vi.mocked(listTowns).mockResolvedValue(['朱昌镇', '东风镇', '金华镇'])
    const staffingScreen = useTown()
    await staffingScreen.ready
    expect(staffingScreen.town.value).toBe('朱昌镇')

    staffingScreen.town.value = '东风镇'
    const catalogScreen = useTown()
    await catalogScreen.ready
    expect(catalogScreen.town.value).toBe('东风镇')
    expect(catalogScreen.towns.value).toEqual(['朱昌镇', '东风镇', '金华镇'])
    expect(listTowns).toHaveBeenCalledTimes(1)
  })

  it('reports a failure and lets the next screen try again', async () => {
    const error = new BackendError('db_unavailable', '数据库暂时无法打开')
    vi.mocked(listTowns).mockRejectedValueOnce(error).mockResolvedValueOnce(['朱昌镇'])
    const first = useTown()
    await first.ready
    expect(showError).toHaveBeenCalledWith(error)
    expect(first.failed.value).toBe(true)
    expect(first.town.value).toBeNull()

    const second = useTown()
    await second.ready
    await flushPromises()
    expect(listTowns).toHaveBeenCalledTimes(2)
    expect(second.failed.value).toBe(false)
    expect(second.town.value).toBe('朱昌镇')
  })

  it("opens on the account's own town, and starts afresh for the next account", async () => {
    vi.mocked(listTowns).mockResolvedValue(['朱昌镇', '东风镇', '金华镇'])
    const clerk = {
      username: 'chuangkou',
      display_name: '东风镇窗口人员',
      staff_no: 'DF0013',
      staff_name: '谢喆赟',
      staff_town: '东风镇',
      roles: ['窗口人员' as const],
      failed_count: 0,
      locked_until: null,
      created_at: '2026-11-28 08:00:00',
      disabled: false,
      must_change_password: false,
    }
    setSessionForTests({ loaded: true, account: clerk })
    await nextTick()
    const screen = useTown()
    await screen.ready
    expect(screen.town.value).toBe('东风镇')
    // Another account logs in: the towns are asked for again, and its town is chosen.
    setSessionForTests({ loaded: true, account: { ...clerk, username: 'jh', staff_town: '金华镇' } })
    await nextTick()
    const next = useTown()
    await next.ready
    expect(next.town.value).toBe('金华镇')
    expect(listTowns).toHaveBeenCalledTimes(2)
    setSessionForTests()
    await nextTick()
  })
})
