import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import StaffingView from '../views/StaffingView.vue'
import CatalogView from '../views/CatalogView.vue'
import ItemView from '../views/ItemView.vue'
import IntakeView from '../views/IntakeView.vue'
import RequestsView from '../views/RequestsView.vue'
import RequestView from '../views/RequestView.vue'
import { rememberedStaff } from '../composables/counterStaff'

/**
 * Where the app opens. A computer whose counter clerk has been chosen before
 * is a counter: it opens on 窗口受理. Any other (a leader's, or a new one)
 * opens on 人员编制, which stays one click away for everyone.
 */
export function home(): string {
  return rememberedStaff() ? '/intake' : '/staffing'
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => home() },
  { path: '/staffing', name: 'staffing', component: StaffingView },
  { path: '/catalog', name: 'catalog', component: CatalogView },
  { path: '/catalog/:code', name: 'item', component: ItemView },
  { path: '/intake', name: 'intake', component: IntakeView },
  { path: '/requests', name: 'requests', component: RequestsView },
  { path: '/requests/:number', name: 'request', component: RequestView },
  { path: '/:pathMatch(.*)*', redirect: () => home() },
]

// Hash history: the release build is served from the Tauri custom protocol,
// where only index.html exists.
export const router = createRouter({
  history: createWebHashHistory(),
  routes,
})
