import { createI18n } from 'vue-i18n'
import zhCN, { type MessageSchema } from './locales/zh-CN'

export function createAppI18n() {
  return createI18n<[MessageSchema], 'zh-CN', false>({
    legacy: false,
    locale: 'zh-CN',
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN },
  })
}

// The app's single instance. Code outside components (the API layer) reads
// messages through it.
export const i18n = createAppI18n()
