import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { invoke } from '@tauri-apps/api/core'
import { BackendError, call, learnHallMode, UNEXPECTED } from './invoke'
import { listTowns, rotaWeek, staffing, staffingDemand, staffingExportXlsx, unitPeople } from './staffing'

const invokeMock = vi.mocked(invoke)

beforeEach(() => {
  invokeMock.mockReset()
})

describe('call on the hall server', () => {
  it('sends every command through hall_call except what runs on this PC', async () => {
    invokeMock.mockResolvedValueOnce(true)
    await learnHallMode()
    invokeMock.mockResolvedValue(null)
    await call('request_new', { name: '李玥' })
    expect(invokeMock).toHaveBeenLastCalledWith('hall_call', { cmd: 'request_new', args: { name: '李玥' } })
    await call('list_towns')
    expect(invokeMock).toHaveBeenLastCalledWith('hall_call', { cmd: 'list_towns', args: {} })
    // The forms are printed, previewed and saved here (the server makes them).
    await call('form_print', { kind: 'receipt' })
    expect(invokeMock).toHaveBeenLastCalledWith('form_print', { kind: 'receipt' })
    await call('database_info')
    expect(invokeMock).toHaveBeenLastCalledWith('database_info', undefined)
    // Back on this PC's file, commands go straight to it.
    invokeMock.mockResolvedValueOnce(false)
    await learnHallMode()
    await call('list_towns')
    expect(invokeMock).toHaveBeenLastCalledWith('list_towns', undefined)
  })
})

describe('call', () => {
  it('passes the command and arguments through and returns the answer', async () => {
    invokeMock.mockResolvedValueOnce(['青石镇', '白水乡'])
    await expect(call<string[]>('list_towns', { a: 1 })).resolves.toEqual(['青石镇', '白水乡'])
    expect(invokeMock).toHaveBeenCalledWith('list_towns', { a: 1 })
  })

  it("turns the backend's {code, message} rejection into a BackendError", async () => {
    invokeMock.mockRejectedValueOnce({ code: 'town_not_found', message: '没有找到乡镇“黑山镇”' })
    const error = await call('staffing').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect(error).toBeInstanceOf(Error)
    expect((error as BackendError).code).toBe('town_not_found')
    expect((error as BackendError).message).toBe('没有找到乡镇“黑山镇”')
  })

  it('keeps the field the backend named, and null when it named none', async () => {
    invokeMock.mockRejectedValueOnce({ code: 'invalid_input', field: 'id', message: '身份证号校验位错误' })
    const refused = (await call('request_new').catch((e: unknown) => e)) as BackendError
    expect(refused.field).toBe('id')
    expect(refused.message).toBe('身份证号校验位错误')
    invokeMock.mockRejectedValueOnce({ code: 'forbidden', field: null, message: '当前账号无权受理。' })
    expect(((await call('request_new').catch((e: unknown) => e)) as BackendError).field).toBeNull()
    invokeMock.mockRejectedValueOnce({ code: 'storage', message: '数据库操作失败，请稍后重试' })
    expect(((await call('request_new').catch((e: unknown) => e)) as BackendError).field).toBeNull()
  })

  it('hides a rejection of any other shape behind a general Chinese message', async () => {
    invokeMock.mockRejectedValueOnce('Command staffing not found')
    const error = await call('staffing').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect((error as BackendError).code).toBe(UNEXPECTED)
    expect((error as BackendError).message).not.toContain('Command')
    expect((error as BackendError).message).toMatch(/请稍后重试/)
    expect((error as BackendError).cause).toBe('Command staffing not found')
  })
})

describe('staffing API', () => {
  it('calls list_towns without arguments', async () => {
    invokeMock.mockResolvedValueOnce([])
    await listTowns()
    expect(invokeMock).toHaveBeenCalledWith('list_towns', undefined)
  })

  it('calls staffing with {town, on}, null meaning all towns / today', async () => {
    invokeMock.mockResolvedValue({ date: '2025-03-01', towns: [] })
    await staffing('青石镇', '2025-03-01')
    expect(invokeMock).toHaveBeenLastCalledWith('staffing', { town: '青石镇', on: '2025-03-01' })
    await staffing(null, null)
    expect(invokeMock).toHaveBeenLastCalledWith('staffing', { town: null, on: null })
  })

  it('names the drill-down, rota, demand and export arguments as the commands take them', async () => {
    invokeMock.mockResolvedValue(null)
    await unitPeople('东风镇', '林业站', null)
    expect(invokeMock).toHaveBeenLastCalledWith('unit_people', { town: '东风镇', unit: '林业站', on: null })
    await rotaWeek('东风镇', '2026-11-30')
    expect(invokeMock).toHaveBeenLastCalledWith('rota_week', { town: '东风镇', on: '2026-11-30' })
    // Tauri maps the Rust parameters target_wait_s / service_level to camelCase.
    await staffingDemand('东风镇', null)
    expect(invokeMock).toHaveBeenLastCalledWith('staffing_demand', {
      town: '东风镇',
      on: null,
      targetWaitS: null,
      serviceLevel: null,
    })
    await staffingDemand('东风镇', null, 600, 0.9)
    expect(invokeMock).toHaveBeenLastCalledWith('staffing_demand', {
      town: '东风镇',
      on: null,
      targetWaitS: 600,
      serviceLevel: 0.9,
    })
    await staffingExportXlsx('东风镇', '2026-11-28')
    expect(invokeMock).toHaveBeenLastCalledWith('staffing_export_xlsx', { town: '东风镇', on: '2026-11-28' })
  })
})
