import type { WebFeature } from '../../lib/features.ts';
import type { PageDef } from '../../lib/routes.ts';
import { AccessibilityPage, HelpPage, PrivacyPage, SitemapPage, TermsPage } from './SitePages.tsx';

/**
 * The site's own pages (GIGW 3.0): accessibility statement, terms of use, privacy policy, help and
 * a sitemap, linked from every page's footer, open without a login. No server module: the content
 * is in the `site` catalog namespace, and there is no menu entry (the footer links to them).
 */
export const sitePages: PageDef[] = [
  { path: '/accessibility-statement', component: AccessibilityPage, permission: 'public' },
  { path: '/terms-of-use', component: TermsPage, permission: 'public' },
  { path: '/privacy-policy', component: PrivacyPage, permission: 'public' },
  { path: '/help', component: HelpPage, permission: 'public' },
  { path: '/sitemap', component: SitemapPage, permission: 'public' },
];

export const feature: WebFeature = { name: 'site', order: 1000, pages: sitePages, nav: [] };
