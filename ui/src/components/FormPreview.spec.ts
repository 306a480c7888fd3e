import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
vi.mock('../api/notify', () => ({ showError: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend, type Handler } from '../test/backend'
import { showError } from '../api/notify'
import { STAFF_STORAGE_KEY } from '../composables/counterStaff'
import type { FormTarget } from '../api/forms'
import type { Form, FormIssue, StaffProfile } from '../api/types'
import FormPreview from './FormPreview.vue'

const staff: StaffProfile[] = [
  { no: 'DF0013', name: '谢喆赟', unit: '社会治理服务中心', town: '东风镇', roles: ['窗口人员'], credentials: [] },
]

function form(copy: number): Form {
  return {
    kind: 'receipt',
    kind_label: '受理回执',
    form_no: 'HZ-DF-20261128-0001',
    town_id: 2,
    request_number: 'DF-20261128-0001',
    department: null,
    copy,
    pages: 1,
  }
}

function issue(copy: number): FormIssue {
  return {
    form_no: 'HZ-DF-20261128-0001',
    kind: 'receipt',
    town_id: 2,
    request_number: 'DF-20261128-0001',
    department: null,
    staff_no: 'DF0013',
    staff_name: '谢喆赟',
    os_user: 'clerk',
    at: `2026-11-28 09:1${copy}:00`,
    copy,
    route: 'printer:front-desk',
    pages: 1,
    bytes: 40000,
  }
}

const RECEIPT: FormTarget = { kind: 'receipt', number: 'DF-20261128-0001', town: '东风镇' }

/** A backend that keeps a print log: each print adds the next copy. */
function printingBackend(over: Record<string, Handler> = {}) {
  const log: FormIssue[] = []
  const api = fakeBackend({
    list_staff: () => staff,
    printers: () => ({ printers: ['back-office', 'front-desk'], default: 'front-desk' }),
    form_preview: () => ({ form: form(log.length + 1), pages: ['data:image/png;base64,AAAA'] }),
    form_issues: () => [...log],
    form_print: () => {
      log.push(issue(log.length + 1))
      return { form: form(log.length), copy: log.length, job: `front-desk-${log.length + 6}`, printer: 'front-desk' }
    },
    ...over,
  })
  return { api, log }
}

async function render(target: FormTarget = RECEIPT, staffNo: string | null = 'DF0013') {
  const w = mount(FormPreview, {
    props: { modelValue: true, target, staff: staffNo },
    global: { plugins: [ElementPlus, createAppI18n()] },
    attachTo: document.body,
  })
  await flushPromises()
  return w
}

const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)
const qa = (id: string) => Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`))

enableAutoUnmount(afterEach)
beforeEach(() => {
  vi.mocked(showError).mockClear()
  window.localStorage.clear()
  window.localStorage.setItem(STAFF_STORAGE_KEY, 'DF0013')
})
afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('FormPreview', () => {
  it('shows the page images, the form number, the copy and an empty print log', async () => {
    const { api } = printingBackend()
    await render()
    expect(api.calls('form_preview')).toEqual([
      { kind: 'receipt', number: 'DF-20261128-0001', department: null, town: '东风镇', on: null, paper: 'a4' },
    ])
    // jsdom cannot decode into a bitmap, so the page shows as the image itself (PreviewPage).
    const pages = qa('preview-page') as HTMLImageElement[]
    expect(pages).toHaveLength(1)
    expect(pages[0]!.getAttribute('src')).toBe('data:image/png;base64,AAAA')
    expect(pages[0]!.getAttribute('alt')).toBe('第 1 页')
    expect(q('preview-form-no')!.textContent).toContain('HZ-DF-20261128-0001')
    expect(q('preview-copy')!.textContent!.trim()).toBe('第 1 份')
    expect(q('preview-no-history')!.textContent).toBe('还没有打印过')
    expect(api.calls('form_issues')).toEqual([{ formNo: 'HZ-DF-20261128-0001' }])
    // The system default printer is chosen first.
    expect(q('preview-printer')!.textContent).toContain('front-desk（默认）')
  })

  it('draws the pages into canvases and empties them when it closes, so no decoded page is kept', async () => {
    printingBackend()
    const bitmaps: { width: number; height: number; close: () => void }[] = []
    vi.stubGlobal('createImageBitmap', async (blob: Blob) => {
      const read = await new Promise<ArrayBuffer>((done) => {
        const reader = new FileReader()
        reader.onload = () => done(reader.result as ArrayBuffer)
        reader.readAsArrayBuffer(blob)
      })
      // The bytes the backend sent, decoded from base64.
      expect(Array.from(new Uint8Array(read))).toEqual([0, 0, 0])
      expect(blob.type).toBe('image/png')
      const bitmap = { width: 910, height: 1286, close: vi.fn() }
      bitmaps.push(bitmap)
      return bitmap
    })
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({ drawImage: vi.fn() } as never)
    try {
      const w = await render()
      const canvas = qa('preview-page')[0] as HTMLCanvasElement
      expect(canvas.tagName).toBe('CANVAS')
      expect(canvas.getAttribute('aria-label')).toBe('第 1 页')
      await vi.waitFor(() => expect(canvas.dataset.drawn).toBe('true'))
      expect([canvas.width, canvas.height]).toEqual([910, 1286])
      // The decoded bitmap is given back as soon as it is drawn.
      expect(bitmaps).toHaveLength(1)
      expect(bitmaps[0]!.close).toHaveBeenCalledOnce()
      await w.setProps({ modelValue: false })
      await flushPromises()
      expect(qa('preview-page')).toHaveLength(0)
      expect([canvas.width, canvas.height]).toEqual([0, 0])
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('prints on the chosen printer for the chosen clerk, then shows the next copy as 补打 and the log', async () => {
    const { api } = printingBackend()
    await render()
    q('preview-print')!.click()
    await flushPromises()
    expect(api.calls('form_print')).toEqual([
      {
        kind: 'receipt',
        number: 'DF-20261128-0001',
        department: null,
        town: '东风镇',
        on: null,
        paper: 'a4',
        printer: 'front-desk',
        staff: 'DF0013',
      },
    ])
    expect(document.body.textContent).toContain('已发送打印：front-desk，作业号 front-desk-7，第 1 份')
    // Re-rendered: the footer of the next print says 补打.
    expect(api.calls('form_preview')).toHaveLength(2)
    expect(q('preview-copy')!.textContent!.trim()).toBe('补打（第 2 份）')
    const rows = qa('history-row')
    expect(rows).toHaveLength(1)
    expect(rows[0]!.dataset.copy).toBe('1')
    expect(rows[0]!.textContent).toContain('谢喆赟（DF0013）')
    expect(rows[0]!.textContent).toContain('2026-11-28 09:11:00')
    expect(rows[0]!.textContent).toContain('打印机 front-desk')

    // Ctrl+P prints again: a reprint.
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', code: 'KeyP', ctrlKey: true, bubbles: true }))
    await flushPromises()
    expect(api.calls('form_print')).toHaveLength(2)
    expect(document.body.textContent).toContain('补打（第 2 份）')
    expect(qa('history-row').map((r) => r.dataset.copy)).toEqual(['1', '2'])
    expect(qa('history-row')[1]!.textContent).toContain('补打 · 第 2 份')
  })

  it("shows the backend's message when printing fails, and the log stays as it was", async () => {
    const { api } = printingBackend({
      printers: () => ({ printers: [], default: null }),
      form_print: () => {
        throw { code: 'print_failed', message: '打印失败：没有可用的打印机（本机未设置默认打印机）。' }
      },
    })
    await render()
    expect(q('preview-no-printers')!.textContent).toContain('本机没有可用的打印机')
    q('preview-print')!.click()
    await flushPromises()
    expect(api.calls('form_print')[0]!.printer).toBeNull()
    expect(q('preview-error')!.textContent).toContain('打印失败：没有可用的打印机')
    expect(showError).toHaveBeenCalled()
    expect(api.calls('form_preview')).toHaveLength(1)
    expect(q('preview-copy')!.textContent!.trim()).toBe('第 1 份')
  })

  it('saves to the file the clerk chose and counts it as an issue; a cancelled dialog changes nothing', async () => {
    let answer: unknown = null
    const { api } = printingBackend({ form_save: () => answer })
    await render()
    q('preview-save')!.click()
    await flushPromises()
    expect(api.calls('form_save')).toEqual([
      { kind: 'receipt', number: 'DF-20261128-0001', department: null, town: '东风镇', on: null, paper: 'a4', staff: 'DF0013' },
    ])
    expect(api.calls('form_preview')).toHaveLength(1)

    answer = { form: form(1), copy: 1, path: '/home/clerk/受理回执-HZ-DF-20261128-0001.pdf' }
    q('preview-save')!.click()
    await flushPromises()
    expect(document.body.textContent).toContain('已保存：/home/clerk/受理回执-HZ-DF-20261128-0001.pdf（第 1 份）')
    expect(api.calls('form_preview')).toHaveLength(2)
  })

  it('asks for the clerk before printing', async () => {
    window.localStorage.clear()
    const { api } = printingBackend()
    await render(RECEIPT, null)
    q('preview-print')!.click()
    await flushPromises()
    expect(api.calls('form_print')).toEqual([])
    expect(q('preview-error')!.textContent).toContain('请先选择经办人')
  })

  it('renders again on the other paper; the staffing report has no paper choice', async () => {
    const { api } = printingBackend()
    const w = await render()
    const a5 = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="preview-paper"] input')).find(
      (i) => i.value === 'a5',
    )!
    a5.click()
    await flushPromises()
    expect(api.calls('form_preview').map((c) => c.paper)).toEqual(['a4', 'a5'])
    w.unmount()
    document.body.innerHTML = ''

    const { api: api2 } = printingBackend()
    await render({ kind: 'staffing', town: '东风镇', on: '2026-11-28' })
    expect(q('preview-paper')).toBeNull()
    expect(api2.calls('form_preview')[0]).toMatchObject({ kind: 'staffing', paper: null, on: '2026-11-28' })
  })

  it("shows the backend's message when the preview cannot be made", async () => {
    printingBackend({
      form_preview: () => {
        throw { code: 'preview_unavailable', message: '无法显示打印预览：本机没有安装 pdftoppm（poppler-utils）。' }
      },
    })
    await render()
    expect(qa('preview-page')).toHaveLength(0)
    expect(q('preview-error')!.textContent).toContain('pdftoppm')
    expect((q('preview-print') as HTMLButtonElement).disabled).toBe(true)
  })

  it('shows a spinner with its words while the pages render, and none once they are there', async () => {
    let rendered: (answer: unknown) => void = () => {}
    printingBackend({ form_preview: () => new Promise((done) => (rendered = done)) })
    await render()
    const mask = () => q('preview-pages')!.querySelector('.el-loading-mask')
    expect(q('preview-pages')!.dataset.loading).toBe('true')
    expect(mask()!.querySelector('.el-loading-spinner svg.circular')).not.toBeNull()
    expect(mask()!.textContent).toContain('正在生成预览…')
    expect(qa('preview-page')).toHaveLength(0)
    expect((q('preview-print') as HTMLButtonElement).disabled).toBe(true)
    rendered({ form: form(1), pages: ['data:image/png;base64,AAAA'] })
    await flushPromises()
    expect(q('preview-pages')!.dataset.loading).toBe('false')
    await vi.waitFor(() => expect(mask()).toBeNull())
    expect(qa('preview-page')).toHaveLength(1)
    expect((q('preview-print') as HTMLButtonElement).disabled).toBe(false)
  })
})
