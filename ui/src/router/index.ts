import { createRouter, createWebHashHistory } from 'vue-router'
import StaffingView from '../views/StaffingView.vue'

// Hash history: the release build is served from the Tauri custom protocol,
// where only index.html exists.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/staffing' },
    { path: '/staffing', name: 'staffing', component: StaffingView },
    { path: '/:pathMatch(.*)*', redirect: '/staffing' },
  ],
})
