// The dashboard's pages. One entry per page: the router and the left menu are built from this
// list, filtered by the permission the API reports for the logged-in role (and, for the city
// analysis pages, by the kind of data scope). A new page drops in as one more entry here —
// see docs/web.md for the planned ones.
import type { Component } from 'vue'
import type { RouteComponent } from 'vue-router'
import {
  Aim, Bell, ChatLineSquare, Checked, Collection, DataLine, DataAnalysis, Document, DocumentChecked, EditPen, Files, Histogram, Key, List, Medal, OfficeBuilding, Odometer, Operation, PieChart,
  Monitor, Rank, TrendCharts, User, Warning, Stamp, Tickets, Message, DataBoard, SetUp,
} from '@element-plus/icons-vue'
import type { Me } from '../api/types'
import { can, session } from '../session'

export type MenuGroup = 'analysis' | 'enterprises' | 'review' | 'carbon' | 'data' | 'tools' | 'admin'
export type ScopeKind = Me['scope']['kind']

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
  /** Route props of the component. */
  props?: Record<string, unknown>
  /** Data scopes the page is for (default: every scope). The city analysis pages are not
   * offered to an enterprise user, whose figures are on its enterprise's page. */
  scopes?: ScopeKind[]
}

/** Menu groups in display order, with their title keys. */
export const GROUPS: { id: MenuGroup; title: string; icon: Component }[] = [
  { id: 'analysis', title: 'menu.analysis', icon: DataAnalysis },
  { id: 'enterprises', title: 'menu.enterprises', icon: OfficeBuilding },
  { id: 'review', title: 'menu.review', icon: Stamp },
  { id: 'carbon', title: 'menu.carbon', icon: Aim },
  { id: 'data', title: 'menu.data', icon: Files },
  { id: 'tools', title: 'menu.tools', icon: Collection },
  { id: 'admin', title: 'menu.admin', icon: Operation },
]

const CITY_SCOPES: ScopeKind[] = ['all', 'division']

export const PAGES: PageEntry[] = [
  {
    name: 'overview',
    path: '/overview',
    component: () => import('../pages/OverviewPage.vue'),
    title: 'page.overview',
    permission: 'stats:read',
    group: 'analysis',
    icon: TrendCharts,
    menu: true,
    scopes: CITY_SCOPES,
  },
  {
    name: 'divisions',
    path: '/analysis/divisions',
    component: () => import('../pages/BreakdownPage.vue'),
    title: 'page.divisions',
    permission: 'stats:read',
    group: 'analysis',
    icon: Histogram,
    menu: true,
    props: { by: 'division' },
    scopes: CITY_SCOPES,
  },
  {
    name: 'industries',
    path: '/analysis/industries',
    component: () => import('../pages/BreakdownPage.vue'),
    title: 'page.industries',
    permission: 'stats:read',
    group: 'analysis',
    icon: PieChart,
    menu: true,
    props: { by: 'industry' },
    scopes: CITY_SCOPES,
  },
  {
    name: 'exceeders',
    path: '/analysis/exceeders',
    component: () => import('../pages/ExceedersPage.vue'),
    title: 'exceeders.title',
    permission: 'stats:read',
    group: 'analysis',
    icon: Odometer,
    menu: true,
    scopes: CITY_SCOPES,
  },
  {
    name: 'benchmarking',
    path: '/analysis/benchmarking',
    component: () => import('../pages/BenchmarkingPage.vue'),
    title: 'benchmarking.title',
    permission: 'stats:read',
    group: 'analysis',
    icon: Rank,
    menu: true,
    scopes: CITY_SCOPES,
  },
  {
    name: 'targets',
    path: '/targets',
    component: () => import('../pages/TargetsPage.vue'),
    title: 'page.targets',
    permission: 'targets:read',
    group: 'analysis',
    icon: Aim,
    menu: true,
  },
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
    name: 'key-units',
    path: '/enterprises/key-units',
    component: () => import('../pages/KeyUnitsPage.vue'),
    title: 'keyUnits.title',
    permission: 'stats:read',
    group: 'enterprises',
    icon: Medal,
    menu: true,
    scopes: CITY_SCOPES,
  },
  {
    name: 'plans',
    path: '/enterprises/plans',
    component: () => import('../pages/PlansPage.vue'),
    title: 'plans.reviewTitle',
    permission: 'plans:review',
    group: 'enterprises',
    icon: Checked,
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
    name: 'review-projects',
    path: '/review/projects',
    component: () => import('../pages/ProjectsPage.vue'),
    title: 'review.projects',
    permission: 'projects:read',
    group: 'review',
    icon: Tickets,
    menu: true,
  },
  {
    name: 'review-inbox',
    path: '/review/inbox',
    component: () => import('../pages/ReviewInboxPage.vue'),
    title: 'review.inbox',
    permission: 'projects:review',
    group: 'review',
    icon: Message,
    menu: true,
  },
  {
    name: 'two-high',
    path: '/review/two-high',
    component: () => import('../pages/TwoHighPage.vue'),
    title: 'review.twoHigh',
    permission: 'two_high:read',
    group: 'review',
    icon: DataBoard,
    menu: true,
  },
  {
    name: 'review-project-new',
    path: '/review/projects/new',
    component: () => import('../pages/ProjectFormPage.vue'),
    title: 'review.newProject',
    permission: 'projects:write',
    group: 'review',
    menu: false,
    parent: 'review-projects',
  },
  {
    name: 'review-project',
    path: '/review/projects/:id(\\d+)',
    component: () => import('../pages/ProjectDetailPage.vue'),
    title: 'review.project',
    permission: 'projects:read',
    group: 'review',
    menu: false,
    parent: 'review-projects',
  },
  {
    name: 'review-project-edit',
    path: '/review/projects/:id(\\d+)/edit',
    component: () => import('../pages/ProjectFormPage.vue'),
    title: 'review.editProject',
    permission: 'projects:write',
    group: 'review',
    menu: false,
    parent: 'review-projects',
  },
  {
    name: 'two-high-installation',
    path: '/review/two-high/:id(\\d+)',
    component: () => import('../pages/TwoHighInstallationPage.vue'),
    title: 'review.installation',
    permission: 'two_high:read',
    group: 'review',
    menu: false,
    parent: 'two-high',
  },
  {
    name: 'pathway',
    path: '/carbon/pathway',
    component: () => import('../pages/PathwayPage.vue'),
    title: 'pathway.title',
    permission: 'pathway:read',
    group: 'carbon',
    icon: TrendCharts,
    menu: true,
  },
  {
    name: 'pathway-scenario',
    path: '/carbon/pathway/scenarios/:id(\\d+)',
    component: () => import('../pages/PathwayScenarioPage.vue'),
    title: 'pathway.scenario',
    permission: 'pathway:read',
    group: 'carbon',
    menu: false,
    parent: 'pathway',
  },
  {
    name: 'retrofits',
    path: '/carbon/retrofits',
    component: () => import('../pages/RetrofitsPage.vue'),
    title: 'retrofits.list',
    permission: 'retrofits:read',
    group: 'carbon',
    icon: SetUp,
    menu: true,
  },
  {
    name: 'retrofit',
    path: '/carbon/retrofits/:id(\\d+)',
    component: () => import('../pages/RetrofitDetailPage.vue'),
    title: 'retrofits.detail',
    permission: 'retrofits:read',
    group: 'carbon',
    menu: false,
    parent: 'retrofits',
  },
  {
    name: 'data-entry',
    path: '/data-entry',
    component: () => import('../pages/DataEntryPage.vue'),
    title: 'page.dataEntry',
    permission: 'filings:write',
    group: 'data',
    icon: EditPen,
    menu: true,
  },
  {
    name: 'quarantine',
    path: '/quarantine',
    component: () => import('../pages/QuarantinePage.vue'),
    title: 'page.quarantine',
    permission: 'quarantine:read',
    group: 'data',
    icon: Warning,
    menu: true,
  },
  {
    name: 'quality',
    path: '/quality',
    component: () => import('../pages/QualityPage.vue'),
    title: 'page.quality',
    permission: 'quality:read',
    group: 'data',
    icon: DataLine,
    menu: true,
  },
  {
    name: 'alerts',
    path: '/alerts',
    component: () => import('../pages/AlertsPage.vue'),
    title: 'page.alerts',
    permission: 'alerts:read',
    group: 'data',
    icon: Bell,
    menu: true,
  },
  {
    name: 'notices',
    path: '/notices',
    component: () => import('../pages/NoticesPage.vue'),
    title: 'notices.title',
    permission: 'notices:read',
    group: 'data',
    icon: ChatLineSquare,
    menu: true,
  },
  {
    name: 'device-status',
    path: '/monitor/status',
    component: () => import('../pages/DeviceStatusPage.vue'),
    title: 'deviceStatus.title',
    permission: 'status:read',
    group: 'data',
    icon: Monitor,
    menu: true,
    scopes: CITY_SCOPES,
  },
  {
    name: 'reports',
    path: '/reports',
    component: () => import('../pages/ReportsPage.vue'),
    title: 'page.reports',
    permission: 'reports:enterprise',
    group: 'data',
    icon: Document,
    menu: true,
  },
  {
    name: 'annual-reports',
    path: '/annual-reports',
    component: () => import('../pages/AnnualReportPage.vue'),
    title: 'annualReport.title',
    permission: 'annual_reports:read',
    group: 'data',
    icon: DocumentChecked,
    menu: true,
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

/** Whether the logged-in user may open the page: its permission, and its scopes if any. */
export function allowed(page: PageEntry): boolean {
  if (!can(page.permission)) return false
  if (!page.scopes) return true
  const kind = session.me?.scope.kind ?? 'all'
  return page.scopes.includes(kind)
}

export const pageByName = (name: string): PageEntry | undefined => PAGES.find((p) => p.name === name)
