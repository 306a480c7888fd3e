import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import StaffingView from '../views/StaffingView.vue'
import ReportView from '../views/ReportView.vue'
import CatalogView from '../views/CatalogView.vue'
import ItemView from '../views/ItemView.vue'
import IntakeView from '../views/IntakeView.vue'
import RequestsView from '../views/RequestsView.vue'
import RequestView from '../views/RequestView.vue'
import AdminView from '../views/AdminView.vue'
import RatingsView from '../views/RatingsView.vue'
import type { Permission } from '../api/types'
import { useSession } from '../composables/session'

/** The menu, in order: each entry shown only to accounts whose roles allow it. */
export const MENU: { key: string; path: string; needs: Permission }[] = [
  { key: 'intake', path: '/intake', needs: 'intake' },
  { key: 'requests', path: '/requests', needs: 'read_requests' },
  { key: 'catalog', path: '/catalog', needs: 'read_catalog' },
  { key: 'staffing', path: '/staffing', needs: 'view_staffing' },
  { key: 'report', path: '/report', needs: 'view_staffing' },
  { key: 'ratings', path: '/ratings', needs: 'read_requests' },
  { key: 'admin', path: '/admin', needs: 'manage_accounts' },
]

/** What each screen needs; the backend refuses the commands anyway. */
const NEEDS: Record<string, Permission> = {
  staffing: 'view_staffing',
  report: 'view_staffing',
  catalog: 'read_catalog',
  item: 'read_catalog',
  intake: 'intake',
  requests: 'read_requests',
  request: 'read_requests',
  ratings: 'read_requests',
  admin: 'backup',
}

/**
 * Where the app opens: a clerk's counter, a leader's staffing, an
 * administrator's accounts; otherwise the first screen of the menu allowed.
 */
export function home(): string {
  const { can } = useSession()
  if (can('intake')) return '/intake'
  if (can('manage_accounts')) return '/admin'
  if (can('view_staffing')) return '/staffing'
  return MENU.find((m) => can(m.needs))?.path ?? '/catalog'
}

export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => home() },
  { path: '/staffing', name: 'staffing', component: StaffingView },
  { path: '/report', name: 'report', component: ReportView },
  { path: '/catalog', name: 'catalog', component: CatalogView },
  { path: '/catalog/:code', name: 'item', component: ItemView },
  { path: '/intake', name: 'intake', component: IntakeView },
  { path: '/requests', name: 'requests', component: RequestsView },
  { path: '/requests/:number', name: 'request', component: RequestView },
  { path: '/ratings', name: 'ratings', component: RatingsView },
  { path: '/admin', name: 'admin', component: AdminView },
  { path: '/:pathMatch(.*)*', redirect: () => home() },
]

// Hash history: the release build is served from the Tauri custom protocol,
// where only index.html exists.
export const router = createRouter({
  history: createWebHashHistory(),
  routes,
})

// A screen the account's roles do not allow sends it home instead.
router.beforeEach((to) => {
  const { session, can } = useSession()
  const needs = NEEDS[String(to.name ?? '')]
  if (session.account && needs && !can(needs)) return home()
  return true
})
