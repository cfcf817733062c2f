import type { ReactNode } from 'react';
import type { TPermission } from '../../shared/permissions.ts';

/** A page of a feature: mounted under the shell for users holding `permission` (`public`: no login, e.g. agency sign-up). */
export type PageDef = { path: string; component: () => ReactNode; permission: TPermission | 'session' | 'public' };
