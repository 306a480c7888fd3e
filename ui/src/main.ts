import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { learnHallMode } from './api/invoke'
import { i18n } from './i18n'
import { router } from './router'
import './style.css'

// Whether this PC works through the hall server decides where every command goes: known
// before the first screen asks anything.
void learnHallMode().finally(() => {
  createApp(App).use(ElementPlus).use(i18n).use(router).mount('#app')
})
