import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const attendancePages: PageDef[] = [
  {
    path: '/attendance',
    component: lazyPage(
      () => import('./AttendancePage.tsx'),
      (m) => m.AttendancePage,
    ),
    permission: 'attendance.read',
  },
  {
    path: '/attendance/revisions',
    component: lazyPage(
      () => import('./RevisionsPage.tsx'),
      (m) => m.RevisionsPage,
    ),
    permission: 'attendance.revisions',
  },
  {
    path: '/attendance/holidays',
    component: lazyPage(
      () => import('./HolidaysPage.tsx'),
      (m) => m.HolidaysPage,
    ),
    permission: 'attendance.holidays',
  },
  {
    path: '/attendance/overview',
    component: lazyPage(
      () => import('./OverviewPage.tsx'),
      (m) => m.OverviewPage,
    ),
    permission: 'attendance.overview',
  },
];

export const attendanceNav: NavItem[] = [
  { to: '/attendance', label: 'attendance.nav.attendance', permission: 'attendance.read' },
  { to: '/attendance/overview', label: 'attendance.nav.overview', permission: 'attendance.overview' },
  { to: '/attendance/revisions', label: 'attendance.nav.revisions', permission: 'attendance.revisions' },
  { to: '/attendance/holidays', label: 'attendance.nav.holidays', permission: 'attendance.holidays' },
];

/** This feature for the web app's registry (web/lib/features.ts): its page and menu entry, menu position 47 (after resources). */
export const feature: WebFeature = { name: 'attendance', order: 47, area: 'workers', pages: attendancePages, nav: attendanceNav };
