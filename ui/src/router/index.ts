import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import StaffingView from '../views/StaffingView.vue'
import CatalogView from '../views/CatalogView.vue'
import ItemView from '../views/ItemView.vue'
import IntakeView from '../views/IntakeView.vue'
import RequestsView from '../views/RequestsView.vue'
import RequestView from '../views/RequestView.vue'

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/staffing' },
  { path: '/staffing', name: 'staffing', component: StaffingView },
  { path: '/catalog', name: 'catalog', component: CatalogView },
  { path: '/catalog/:code', name: 'item', component: ItemView },
  { path: '/intake', name: 'intake', component: IntakeView },
  { path: '/requests', name: 'requests', component: RequestsView },
  { path: '/requests/:number', name: 'request', component: RequestView },
  { path: '/:pathMatch(.*)*', redirect: '/staffing' },
]

// Hash history: the release build is served from the Tauri custom protocol,
// where only index.html exists.
export const router = createRouter({
  history: createWebHashHistory(),
  routes,
})
