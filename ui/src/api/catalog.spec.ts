import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { invoke } from '@tauri-apps/api/core'
import { BackendError } from './invoke'
import { authority, catalogDepartments, catalogItem, catalogSearch, letterAlerts, listStaff } from './catalog'

const invokeMock = vi.mocked(invoke)

beforeEach(() => {
  invokeMock.mockReset()
  invokeMock.mockResolvedValue([])
})

// The argument names are the Tauri commands' parameters (camelCase on this
// side); a typo here is a runtime "missing required key" in the app.
describe('catalog API', () => {
  it('catalog_search sends town, query and both filters, null meaning all', async () => {
    await catalogSearch({ town: '东风镇', query: 'lsjz', mode: null, department: null })
    expect(invokeMock).toHaveBeenLastCalledWith('catalog_search', {
      town: '东风镇',
      query: 'lsjz',
      mode: null,
      department: null,
    })
    await catalogSearch({ town: '东风镇', query: '', mode: 'city_only', department: '市林业局' })
    expect(invokeMock).toHaveBeenLastCalledWith('catalog_search', {
      town: '东风镇',
      query: '',
      mode: 'city_only',
      department: '市林业局',
    })
  })

  it('names the other commands and their arguments', async () => {
    await catalogDepartments('东风镇')
    expect(invokeMock).toHaveBeenLastCalledWith('catalog_departments', { town: '东风镇' })
    await catalogItem('东风镇', '520100-XZGF-0012')
    expect(invokeMock).toHaveBeenLastCalledWith('catalog_item', { town: '东风镇', code: '520100-XZGF-0012' })
    await listStaff('东风镇')
    expect(invokeMock).toHaveBeenLastCalledWith('list_staff', { town: '东风镇' })
    await authority('S001', '520100-XZGF-0012', 'approve', null)
    expect(invokeMock).toHaveBeenLastCalledWith('authority', {
      staff: 'S001',
      item: '520100-XZGF-0012',
      action: 'approve',
      on: null,
    })
    await letterAlerts('东风镇', '2025-03-01')
    expect(invokeMock).toHaveBeenLastCalledWith('letter_alerts', { town: '东风镇', on: '2025-03-01' })
  })

  it("rejects with the backend's own message", async () => {
    invokeMock.mockRejectedValueOnce({ code: 'invalid_input', message: '事项编码“X”在东风镇的事项目录中不存在' })
    const error = await catalogItem('东风镇', 'X').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect((error as BackendError).message).toBe('事项编码“X”在东风镇的事项目录中不存在')
  })
})
