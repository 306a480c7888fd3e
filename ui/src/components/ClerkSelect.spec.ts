import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))

import { createAppI18n } from '../i18n'
import { fakeBackend } from '../test/backend'
import { setSessionForTests } from '../composables/session'
import type { Account, StaffProfile } from '../api/types'
import ClerkSelect from './ClerkSelect.vue'

const staff: StaffProfile[] = [
  { no: 'DF0013', name: '谢喆赟', unit: '社会治理服务中心', town: '东风镇', roles: ['窗口人员'], credentials: [] },
  { no: 'DF0014', name: '马永刚', unit: '社会治理服务中心', town: '东风镇', roles: ['窗口人员'], credentials: [] },
]

async function render() {
  const wrapper = mount(ClerkSelect, {
    props: { town: '东风镇', modelValue: null },
    global: { plugins: [ElementPlus, createAppI18n()] },
  })
  await flushPromises()
  return wrapper
}

beforeEach(() => {
  window.localStorage.clear()
  fakeBackend({ list_staff: () => staff })
})

describe('ClerkSelect', () => {
  it("fixes the choice on the logged-in account's own staff member", async () => {
    setSessionForTests({ loaded: true, account: { username: 'df0014', staff_no: 'DF0014' } as Account })
    const wrapper = await render()
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['DF0014'])
    await wrapper.setProps({ modelValue: 'DF0014' })
    expect(wrapper.find('.is-disabled').exists()).toBe(true)
  })

  it('leaves the choice open for an account without a staff member', async () => {
    setSessionForTests({ loaded: true, account: { username: 'guanli', staff_no: null } as Account })
    const wrapper = await render()
    expect(wrapper.emitted('update:modelValue')?.at(-1) ?? [null]).toEqual([null])
    expect(wrapper.find('.is-disabled').exists()).toBe(false)
  })
})
