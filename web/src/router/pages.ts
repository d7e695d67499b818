// The dashboard's pages. One entry per page: the router and the left menu are built from this
// list, filtered by the permission the API reports for the logged-in role. A later page (city
// overview, divisions/industries, data quality, alerts, targets, data entry, reports) drops in
// as one more entry here — see docs/web.md for the planned ones.
import type { Component } from 'vue'
import type { RouteComponent } from 'vue-router'
import { Collection, Key, List, OfficeBuilding, Operation, User } from '@element-plus/icons-vue'

export type MenuGroup = 'enterprises' | 'tools' | 'admin'

export interface PageEntry {
  name: string
  path: string
  component: () => Promise<RouteComponent>
  /** i18n key of the title (menu, breadcrumb, document title). */
  title: string
  /** Permission the API grants the roles that may open the page (see nenghao.api.access). */
  permission: string
  group: MenuGroup
  icon?: Component
  /** Shown in the left menu (detail pages are not). */
  menu: boolean
  /** Breadcrumb parent (page name) of a detail page. */
  parent?: string
}

/** Menu groups in display order, with their title keys. */
export const GROUPS: { id: MenuGroup; title: string; icon: Component }[] = [
  { id: 'enterprises', title: 'menu.enterprises', icon: OfficeBuilding },
  { id: 'tools', title: 'menu.tools', icon: Collection },
  { id: 'admin', title: 'menu.admin', icon: Operation },
]

export const PAGES: PageEntry[] = [
  {
    name: 'enterprises',
    path: '/enterprises',
    component: () => import('../pages/EnterprisesPage.vue'),
    title: 'page.enterprises',
    permission: 'enterprises:read',
    group: 'enterprises',
    icon: OfficeBuilding,
    menu: true,
  },
  {
    name: 'enterprise',
    path: '/enterprises/:id(\\d+)',
    component: () => import('../pages/EnterpriseDetailPage.vue'),
    title: 'page.enterpriseDetail',
    permission: 'enterprises:read',
    group: 'enterprises',
    menu: false,
    parent: 'enterprises',
  },
  {
    name: 'convert',
    path: '/tools/convert',
    component: () => import('../pages/ConvertPage.vue'),
    title: 'page.convert',
    permission: 'catalog:read',
    group: 'tools',
    icon: Operation,
    menu: true,
  },
  {
    name: 'catalog',
    path: '/tools/catalog',
    component: () => import('../pages/CatalogPage.vue'),
    title: 'page.catalog',
    permission: 'catalog:read',
    group: 'tools',
    icon: Collection,
    menu: true,
  },
  {
    name: 'users',
    path: '/admin/users',
    component: () => import('../pages/UsersPage.vue'),
    title: 'page.users',
    permission: 'users:read',
    group: 'admin',
    icon: User,
    menu: true,
  },
  {
    name: 'devices',
    path: '/admin/devices',
    component: () => import('../pages/DevicesPage.vue'),
    title: 'page.devices',
    permission: 'devices:read',
    group: 'admin',
    icon: Key,
    menu: true,
  },
  {
    name: 'audit',
    path: '/admin/audit',
    component: () => import('../pages/AuditPage.vue'),
    title: 'page.audit',
    permission: 'audit:read',
    group: 'admin',
    icon: List,
    menu: true,
  },
]

export const pageByName = (name: string): PageEntry | undefined => PAGES.find((p) => p.name === name)
