import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { nextTick, ref } from 'vue'
import TablePager from './TablePager.vue'
import { usePages } from '../composables/pages'

describe('TablePager and usePages', () => {
  it('shows no pager for one page, the pages and the slot for more, and reports a page chosen', async () => {
    const one = mount(TablePager, { props: { total: 50, size: 50, modelValue: 1 }, global: { plugins: [ElementPlus] } })
    expect(one.find('.el-pagination').exists()).toBe(false)
    const w = mount(TablePager, {
      props: { total: 120, size: 50, modelValue: 1, 'onUpdate:modelValue': (p: number) => w.setProps({ modelValue: p }) },
      slots: { default: '<span class="count">共 120 件</span>' },
      global: { plugins: [ElementPlus] },
    })
    expect(w.findAll('.el-pager li').map((li) => li.text())).toEqual(['1', '2', '3'])
    expect(w.find('.count').text()).toBe('共 120 件')
    await w.findAll('.el-pager li')[2]!.trigger('click')
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual([3])
    expect(w.emitted('change')?.at(-1)).toEqual([3])
  })

  it('gives the rows of the page showing and keeps the page in range when the list shortens', async () => {
    const rows = ref(Array.from({ length: 120 }, (_, i) => i))
    const { page, shown } = usePages(rows, 50)
    expect(shown.value).toHaveLength(50)
    page.value = 3
    expect(shown.value).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i))
    rows.value = rows.value.slice(0, 60)
    await nextTick()
    expect(page.value).toBe(2)
    expect(shown.value).toEqual(Array.from({ length: 10 }, (_, i) => 50 + i))
    rows.value = []
    await nextTick()
    expect(page.value).toBe(1)
    expect(shown.value).toEqual([])
  })
})
