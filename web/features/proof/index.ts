import type { WebFeature } from '../../lib/features.ts';
import type { NavItem } from '../../lib/nav.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

export const proofPages: PageDef[] = [
  {
    path: '/proofs',
    component: lazyPage(
      () => import('./ProofsPage.tsx'),
      (m) => m.ProofsPage,
    ),
    permission: 'proof.read',
  },
  {
    path: '/proofs/$id',
    component: lazyPage(
      () => import('./ProofPage.tsx'),
      (m) => m.ProofPage,
    ),
    permission: 'proof.read',
  },
];

export const proofNav: NavItem[] = [{ to: '/proofs', label: 'proof.nav', permission: 'proof.read' }];

/** This feature for the web app's registry (web/lib/features.ts): its pages and menu entries, menu position 49 (after invoices). */
export const feature: WebFeature = { name: 'proof', order: 49, area: 'money', pages: proofPages, nav: proofNav };
