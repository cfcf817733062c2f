import type { WebFeature } from '../../lib/features.ts';
import './sanction.css';
import type { NavItem } from '../../lib/nav.ts';
import type { PageDef } from '../../lib/routes.ts';
import { CapacityPage } from './CapacityPage.tsx';
import { CreateOrderPage } from './CreateOrderPage.tsx';
import { OrderPage } from './OrderPage.tsx';
import { OrdersPage } from './OrdersPage.tsx';

export const sanctionPages: PageDef[] = [
  { path: '/sanction-orders', component: OrdersPage, permission: 'sanction.read' },
  { path: '/sanction-orders/new', component: CreateOrderPage, permission: 'sanction.manage' },
  { path: '/sanction-orders/$id', component: OrderPage, permission: 'sanction.read' },
  { path: '/sanction/capacity', component: CapacityPage, permission: 'sanction.read' },
];

export const sanctionNav: NavItem[] = [
  { to: '/sanction-orders', label: 'sanction.nav.orders', permission: 'sanction.read' },
  { to: '/sanction/capacity', label: 'sanction.nav.capacity', permission: 'sanction.read' },
];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 20. */
export const feature: WebFeature = { name: 'sanction', order: 20, pages: sanctionPages, nav: sanctionNav };
