import { type ComponentType, createElement, lazy, type ReactNode } from 'react';
import type { TPermission } from '../../shared/permissions.ts';

/** A page of a feature: mounted under the shell for users holding `permission` (`public`: no login, e.g. agency sign-up). */
export type PageDef = { path: string; component: ComponentType; permission: TPermission | 'session' | 'public' };

/**
 * A page loaded only when it is first shown (bar W3: route-level code splitting). A feature's
 * `index.ts` names its pages through this instead of importing them, so the eager
 * `import.meta.glob` of the features (web/lib/features.ts) pulls in only paths, permissions and
 * menu entries; each page's code is its own chunk. The router mounts pages under a `Suspense`
 * (web/main.tsx).
 *
 *   { path: '/contracts', component: lazyPage(() => import('./ContractsPage.tsx'), (m) => m.ContractsPage), … }
 */
export function lazyPage<M, P extends object = Record<string, never>>(load: () => Promise<M>, pick: (m: M) => ComponentType<P>): ComponentType<P> {
  return lazy(async () => ({ default: pick(await load()) }));
}

/** A lazily loaded page given fixed props (e.g. one master page per master). */
export function withProps<P extends object>(C: ComponentType<P>, props: P): () => ReactNode {
  return () => createElement(C, props);
}
