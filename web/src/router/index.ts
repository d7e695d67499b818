// Routes: the log-in page outside the layout; every page of PAGES inside it, guarded by the
// permission of its entry (a direct URL to a page the role may not open shows "forbidden").
import { nextTick } from 'vue'
import { createRouter, createWebHistory, type RouteLocationRaw, type RouteRecordRaw } from 'vue-router'
import { PAGES, allowed, pageByName } from './pages'
import { can, loadMe, session } from '../session'
import { i18n } from '../i18n'

const layout = () => import('../layout/AppLayout.vue')

const children: RouteRecordRaw[] = [
  { path: '', name: 'home', redirect: () => home() },
  ...PAGES.map((page) => ({
    path: page.path.replace(/^\//, ''),
    name: page.name,
    component: page.component,
    props: page.props ?? false,
    meta: { title: page.title, permission: page.permission, parent: page.parent },
  })),
  {
    path: 'forbidden',
    name: 'forbidden',
    component: () => import('../pages/StatusPage.vue'),
    props: { kind: 'forbidden' },
    meta: { title: 'page.forbidden' },
  },
  {
    path: ':rest(.*)*',
    name: 'not-found',
    component: () => import('../pages/StatusPage.vue'),
    props: { kind: 'notFound' },
    meta: { title: 'page.notFound' },
  },
]

const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../pages/LoginPage.vue'),
    meta: { title: 'page.login', public: true },
  },
  { path: '/', component: layout, children },
]

/** Fetch the layout and the city overview (the home of the roles that see the city) while
 * the log-in form is shown, so that the first page after the log-in waits for no download. */
export function warmUp(): void {
  layout().catch(() => undefined)
  pageByName('overview')
    ?.component()
    .catch(() => undefined)
}

/** Home: an enterprise user's own enterprise page; otherwise the first menu page (the city
 * overview for the roles that see it). */
function home(): RouteLocationRaw {
  const scope = session.me?.scope
  if (scope?.kind === 'enterprise' && scope.enterprise_id && can('enterprises:read')) {
    return { name: 'enterprise', params: { id: String(scope.enterprise_id) } }
  }
  return { name: firstPage() }
}

/** The first menu page the current role may open. */
export function firstPage(): string {
  return PAGES.find((p) => p.menu && allowed(p))?.name ?? 'forbidden'
}

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.me && !(await loadMe())) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const permission = to.meta.permission as string | undefined
  const entry = pageByName(String(to.name ?? ''))
  if ((permission && !can(permission)) || (entry && !allowed(entry))) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  const title = to.meta.title ? i18n.global.t(to.meta.title as string) : ''
  document.title = `${title ? `${title} · ` : ''}${i18n.global.t('app.title')}`
})

// Whether the page of the current route has mounted (its first requests are then under way):
// the browser tests and the render benchmark wait for it before they wait for the network.
const marker = window as unknown as { __nhRendered?: boolean }
router.beforeEach(() => {
  marker.__nhRendered = false
})
router.afterEach(() =>
  nextTick(() => {
    marker.__nhRendered = true
  }),
)

export { pageByName }
