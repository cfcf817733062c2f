import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const paymentPages: PageDef[] = [
  {
    path: '/payments/bills',
    component: lazyPage(
      () => import('./BillsPage.tsx'),
      (m) => m.BillsPage,
    ),
    permission: 'payment.read',
  },
  {
    path: '/payments/bills/$id',
    component: lazyPage(
      () => import('./BillPage.tsx'),
      (m) => m.BillPage,
    ),
    permission: 'payment.read',
  },
  {
    path: '/payments/import',
    component: lazyPage(
      () => import('./ImportPage.tsx'),
      (m) => m.ImportPage,
    ),
    permission: 'payment.record',
  },
  {
    path: '/payments/credits/$id',
    component: lazyPage(
      () => import('./CreditsPage.tsx'),
      (m) => m.CreditsPage,
    ),
    permission: 'payment.read',
  },
  {
    path: '/payments/pay-dates',
    component: lazyPage(
      () => import('./PayDatesPage.tsx'),
      (m) => m.PayDatesPage,
    ),
    permission: 'payment.paydates',
  },
];

export const paymentNav: NavItem[] = [
  { to: '/payments/bills', label: 'payment.nav.bills', permission: 'payment.read' },
  { to: '/payments/import', label: 'payment.nav.import', permission: 'payment.record' },
  { to: '/payments/pay-dates', label: 'payment.nav.payDates', permission: 'payment.paydates' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 49 (after invoices). */
export const feature: WebFeature = { name: 'payment', order: 49, area: 'money', pages: paymentPages, nav: paymentNav };
