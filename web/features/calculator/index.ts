import type { WebFeature } from '../../lib/features.ts';
import { lazyPage, type PageDef } from '../../lib/routes.ts';

/**
 * The public cost calculator (issue 16 item 5): open without a login, linked from the login page.
 * Its server side is the rates module's POST /api/v1/public/cost-calculator (the invoice engine).
 */
export const calculatorPages: PageDef[] = [
  {
    path: '/calculator',
    component: lazyPage(
      () => import('./CalculatorPage.tsx'),
      (m) => m.CalculatorPage,
    ),
    permission: 'public',
  },
];

export const feature: WebFeature = { name: 'calculator', order: 990, pages: calculatorPages, nav: [] };
