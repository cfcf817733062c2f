import type { WebFeature } from '../../lib/features.ts';
import './sanction.css';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const sanctionPages: PageDef[] = [
  {
    path: '/sanction-orders',
    component: lazyPage(
      () => import('./OrdersPage.tsx'),
      (m) => m.OrdersPage,
    ),
    permission: 'sanction.read',
  },
  {
    path: '/sanction-orders/new',
    component: lazyPage(
      () => import('./CreateOrderPage.tsx'),
      (m) => m.CreateOrderPage,
    ),
    permission: 'sanction.manage',
  },
  {
    path: '/sanction-orders/$id',
    component: lazyPage(
      () => import('./OrderPage.tsx'),
      (m) => m.OrderPage,
    ),
    permission: 'sanction.read',
  },
  {
    path: '/sanction/capacity',
    component: lazyPage(
      () => import('./CapacityPage.tsx'),
      (m) => m.CapacityPage,
    ),
    permission: 'sanction.read',
  },
];

export const sanctionNav: NavItem[] = [
  { to: '/sanction-orders', label: 'sanction.nav.orders', permission: 'sanction.read' },
  { to: '/sanction/capacity', label: 'sanction.nav.capacity', permission: 'sanction.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 20. */
export const feature: WebFeature = { name: 'sanction', order: 20, area: 'orders', pages: sanctionPages, nav: sanctionNav };
