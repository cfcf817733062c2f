import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const invoicePages: PageDef[] = [
  {
    path: '/invoices',
    component: lazyPage(
      () => import('./InvoicesPage.tsx'),
      (m) => m.InvoicesPage,
    ),
    permission: 'invoice.read',
  },
  {
    path: '/invoices/recovery-balances',
    component: lazyPage(
      () => import('./RecoveryBalancesPage.tsx'),
      (m) => m.RecoveryBalancesPage,
    ),
    permission: 'invoice.recoveries',
  },
  {
    path: '/invoices/$id',
    component: lazyPage(
      () => import('./InvoicePage.tsx'),
      (m) => m.InvoicePage,
    ),
    permission: 'invoice.read',
  },
  {
    path: '/verify/invoice',
    component: lazyPage(
      () => import('./VerifyInvoicePage.tsx'),
      (m) => m.VerifyInvoicePage,
    ),
    permission: 'public',
  },
];

export const invoiceNav: NavItem[] = [
  { to: '/invoices', label: 'invoice.nav.list', permission: 'invoice.read' },
  { to: '/invoices/recovery-balances', label: 'invoice.nav.recoveries', permission: 'invoice.recoveries' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 48. */
export const feature: WebFeature = { name: 'invoice', order: 48, area: 'money', pages: invoicePages, nav: invoiceNav };
