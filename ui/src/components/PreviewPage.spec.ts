import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import PreviewPage from './PreviewPage.vue'

// PreviewPage draws a page into a canvas and holds no decoded pixels once it is gone;
// FormPreview.spec covers it inside the dialog.
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

function decoder(width: number) {
  const closed: number[] = []
  vi.stubGlobal('createImageBitmap', async () => ({ width, height: 2 * width, close: () => closed.push(width) }))
  return closed
}

describe('PreviewPage', () => {
  it('says which page could not be decoded instead of showing an empty canvas', async () => {
    vi.stubGlobal('createImageBitmap', () => Promise.reject(new DOMException('bad PNG', 'InvalidStateError')))
    const w = mount(PreviewPage, { props: { src: 'data:image/png;base64,AAAA', alt: '第 2 页' } })
    await flushPromises()
    expect(w.find('[data-testid="preview-page-failed"]').text()).toBe('第 2 页')
    expect(w.find('canvas').exists()).toBe(false)
  })

  it('draws a new page when the source changes and drops a decode that finished after it left', async () => {
    const draw = vi.fn()
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue({ drawImage: draw } as never)
    const closed = decoder(100)
    const w = mount(PreviewPage, { props: { src: 'data:image/png;base64,AAAA', alt: '第 1 页' } })
    await flushPromises()
    const canvas = w.find('canvas').element as HTMLCanvasElement
    expect(canvas.width).toBe(100)
    decoder(200)
    await w.setProps({ src: 'data:image/png;base64,AAAB' })
    await flushPromises()
    expect(canvas.width).toBe(200)
    expect(draw).toHaveBeenCalledTimes(2)
    // Unmounted while decoding: the bitmap is still closed, nothing is drawn.
    let finish: (b: unknown) => void = () => {}
    const late = { width: 300, height: 600, close: vi.fn() }
    vi.stubGlobal('createImageBitmap', () => new Promise((r) => (finish = r)))
    await w.setProps({ src: 'data:image/png;base64,AAAC' })
    w.unmount()
    finish(late)
    await flushPromises()
    expect(late.close).toHaveBeenCalledOnce()
    expect(draw).toHaveBeenCalledTimes(2)
    expect(closed).toEqual([100])
  })
})
