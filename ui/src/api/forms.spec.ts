import { beforeEach, describe, expect, it, vi } from 'vitest'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { invoke } from '@tauri-apps/api/core'
import { BackendError } from './invoke'
import { formIssues, formPreview, formPrint, formSave, listPrinters } from './forms'

const invokeMock = vi.mocked(invoke)

beforeEach(() => {
  invokeMock.mockReset()
  invokeMock.mockResolvedValue({})
})

// The argument names are the Tauri commands' parameters (camelCase on this
// side); a typo here is a runtime "missing required key" in the app.
describe('forms API', () => {
  it('form_preview sends every field of the target, null meaning absent', async () => {
    await formPreview({ kind: 'receipt', number: 'DF-20261128-0001' }, 'a5')
    expect(invokeMock).toHaveBeenLastCalledWith('form_preview', {
      kind: 'receipt',
      number: 'DF-20261128-0001',
      department: null,
      town: null,
      on: null,
      paper: 'a5',
    })
    await formPreview({ kind: 'handover', department: '市民政局', on: '2026-11-28', town: '东风镇' }, 'a4')
    expect(invokeMock).toHaveBeenLastCalledWith('form_preview', {
      kind: 'handover',
      number: null,
      department: '市民政局',
      town: '东风镇',
      on: '2026-11-28',
      paper: 'a4',
    })
  })

  it('form_print adds the printer and the staff number', async () => {
    await formPrint({ kind: 'staffing', town: '东风镇', on: '2026-11-28' }, null, 'bianmin-test', 'DF0013')
    expect(invokeMock).toHaveBeenLastCalledWith('form_print', {
      kind: 'staffing',
      number: null,
      department: null,
      town: '东风镇',
      on: '2026-11-28',
      paper: null,
      printer: 'bianmin-test',
      staff: 'DF0013',
    })
  })

  it('form_save sends the target and the staff number; the backend asks where', async () => {
    await formSave({ kind: 'refusal', number: 'DF-20261128-0002' }, 'a5', 'DF0013')
    expect(invokeMock).toHaveBeenLastCalledWith('form_save', {
      kind: 'refusal',
      number: 'DF-20261128-0002',
      department: null,
      town: null,
      on: null,
      paper: 'a5',
      staff: 'DF0013',
    })
  })

  it('names the printer list and the print log', async () => {
    await listPrinters()
    expect(invokeMock).toHaveBeenLastCalledWith('printers', undefined)
    await formIssues('HZ-DF-20261128-0001')
    expect(invokeMock).toHaveBeenLastCalledWith('form_issues', { formNo: 'HZ-DF-20261128-0001' })
  })

  it("rejects with the backend's own message", async () => {
    invokeMock.mockRejectedValueOnce({ code: 'print_failed', message: '打印失败：没有可用的打印机' })
    const error = await formPrint({ kind: 'receipt', number: 'X' }, 'a4', null, 'DF0013').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect((error as BackendError).code).toBe('print_failed')
    expect((error as BackendError).message).toBe('打印失败：没有可用的打印机')
  })
})
