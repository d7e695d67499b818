// Routes: the log-in page outside the layout; every page of PAGES inside it, guarded by the
// permission of its entry (a direct URL to a page the role may not open shows "forbidden").
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { PAGES, pageByName } from './pages'
import { can, loadMe, session } from '../session'
import { i18n } from '../i18n'

const children: RouteRecordRaw[] = [
  { path: '', name: 'home', redirect: () => ({ name: firstPage() }) },
  ...PAGES.map((page) => ({
    path: page.path.replace(/^\//, ''),
    name: page.name,
    component: page.component,
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
  { path: '/', component: () => import('../layout/AppLayout.vue'), children },
]

/** The first menu page the current role may open. */
export function firstPage(): string {
  return PAGES.find((p) => p.menu && can(p.permission))?.name ?? 'forbidden'
}

export const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!session.me && !(await loadMe())) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  const permission = to.meta.permission as string | undefined
  if (permission && !can(permission)) {
    return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
})

router.afterEach((to) => {
  const title = to.meta.title ? i18n.global.t(to.meta.title as string) : ''
  document.title = `${title ? `${title} · ` : ''}${i18n.global.t('app.title')}`
})

export { pageByName }
